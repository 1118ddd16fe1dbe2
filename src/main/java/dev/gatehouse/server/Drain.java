package dev.gatehouse.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.gatehouse.web.Wiring;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graceful drain of the embedded server. The proxy listeners stop accepting and their
 * in-flight requests finish within {@code shutdown.grace}, while the admin listener stays up and
 * keeps answering (readiness says 503), so a load balancer sees the instance leave before its
 * port goes away. Only then does Jetty stop the rest.
 */
final class Drain
{
    private static final Logger LOG = LoggerFactory.getLogger(Drain.class);

    private Drain()
    {
    }

    /** Counts and drains proxied requests only: admin requests pass straight through, during a drain too. */
    static final class ProxyGracefulHandler extends GracefulHandler
    {
        ProxyGracefulHandler(Handler handler)
        {
            super(handler);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception
        {
            Connector connector = request.getConnectionMetaData().getConnector();
            if (connector != null && Wiring.ADMIN_CONNECTOR.equals(connector.getName()))
            {
                Handler next = getHandler();
                return next != null && next.handle(request, response, callback);
            }
            return super.handle(request, response, callback);
        }
    }

    /**
     * Stops the proxy listeners from accepting, waits up to {@code graceMillis} for the proxied
     * requests in flight, and returns the milliseconds of grace left for Jetty's own stop.
     */
    static long proxyListeners(Server server, GracefulHandler graceful, long graceMillis)
    {
        long start = System.nanoTime();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Connector connector : server.getConnectors())
        {
            if (!Wiring.ADMIN_CONNECTOR.equals(connector.getName()))
                done.add(connector.shutdown());
        }
        done.add(graceful.shutdown());
        try
        {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(graceMillis, TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException x)
        {
            LOG.warn("Drain: requests still in flight after {} ms; stopping anyway", graceMillis);
        }
        catch (Exception x)
        {
            LOG.warn("Drain interrupted", x);
            if (x instanceof InterruptedException)
                Thread.currentThread().interrupt();
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        LOG.info("Drained the proxy listeners in {} ms", elapsed);
        return Math.max(0, graceMillis - elapsed);
    }
}
