package dev.gatehouse.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.PolicyException;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The forward client's DNS step: resolves once, drops the addresses the SSRF guard refuses, and
 * hands only the permitted ones to the connector, so the connection goes to the very address that
 * was checked (a second, rebinding resolution never happens). No permitted address: the exchange
 * fails with 403 DESTINATION_FORBIDDEN.
 */
public final class SsrfResolver implements SocketAddressResolver
{
    private final Supplier<SocketAddressResolver> delegateFactory;
    private final Supplier<SsrfGuard> guard;
    private volatile SocketAddressResolver delegate;

    /**
     * @param delegateFactory makes the real resolver on first use (the client's executor and
     *                        scheduler exist only once it has started)
     * @param guard           the SSRF guard of the current snapshot
     */
    public SsrfResolver(Supplier<SocketAddressResolver> delegateFactory, Supplier<SsrfGuard> guard)
    {
        this.delegateFactory = delegateFactory;
        this.guard = guard;
    }

    private SocketAddressResolver delegate()
    {
        SocketAddressResolver d = delegate;
        if (d == null)
        {
            synchronized (this)
            {
                d = delegate;
                if (d == null)
                    delegate = d = delegateFactory.get();
            }
        }
        return d;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise)
    {
        SsrfGuard g = guard.get();
        String normalized = SsrfGuard.normalizeIntegerHost(host);
        if (!g.enabled())
        {
            delegate().resolve(normalized, port, context, promise);
            return;
        }
        delegate().resolve(normalized, port, context, new Promise<>()
        {
            @Override
            public void succeeded(List<InetSocketAddress> resolved)
            {
                List<InetAddress> addresses = new ArrayList<>(resolved.size());
                for (InetSocketAddress a : resolved)
                    addresses.add(a.getAddress());
                List<InetAddress> permitted = g.permitted(host, addresses);
                if (permitted.isEmpty())
                {
                    promise.failed(new PolicyException(ErrorCode.DESTINATION_FORBIDDEN,
                        "The destination address is not reachable through this proxy"));
                    return;
                }
                List<InetSocketAddress> out = new ArrayList<>(permitted.size());
                for (InetAddress a : permitted)
                    out.add(new InetSocketAddress(a, port));
                promise.succeeded(out);
            }

            @Override
            public void failed(Throwable x)
            {
                promise.failed(x);
            }
        });
    }
}
