package dev.gatehouse.proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet.ContentTransformer;

/**
 * A per-request concern of the proxy servlet (cache, compression, upstream accounting, content-type
 * blocking, header edits), modelled on Jetty's {@link ContentTransformer}: every hook has a no-op
 * default, so a participant implements only what it does. The servlet reads the list from the
 * servlet-context attribute {@link #ATTRIBUTE} (a {@code List<ProxyParticipant>}) in {@code init()}
 * and calls each hook on every participant in list order, stopping at the first one that answers
 * the request itself. Response-body transformers wrap each other in list order, so the body passes
 * through them in reverse order: the last participant that returns one sees the upstream's bytes
 * first. See docs/architecture.md, "Per-request participants".
 *
 * <p>Hooks run on the request's own callbacks (one after another, never concurrently); they must
 * not block and should do nothing, cheaply, for a request they have no business with.
 * {@code exchange} is the routed request's upstream state, null for a forward-proxy request.
 */
public interface ProxyParticipant
{
    /** The servlet-context attribute holding the ordered {@code List<ProxyParticipant>}. */
    String ATTRIBUTE = ProxyParticipant.class.getName();

    /** The upstream request's headers were copied from the client's: edit them. */
    default void onRequestHeaders(Exchange exchange, HttpServletRequest clientToProxyRequest, Request proxyToServerRequest)
    {
    }

    /**
     * The upstream's response headers arrived, before any is copied to the client. Returns true when
     * the participant took the response over (it answers the client itself, or aborted the upstream
     * response): the servlet then copies nothing and calls no later participant.
     */
    default boolean onResponseHeaders(Exchange exchange, HttpServletRequest clientToProxyRequest, Response serverToProxyResponse)
    {
        return false;
    }

    /**
     * The upstream's headers were copied onto the client's response: edit those.
     *
     * @param streaming the upstream sent no Content-Length (chunked, SSE): each chunk is flushed
     */
    default void onResponseHeadersCopied(Exchange exchange, HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                         Response serverToProxyResponse, boolean streaming)
    {
    }

    /**
     * The response-body transformer: one that does its work and then hands its output to
     * {@code next}, or null when it has nothing to do for this request (the body then goes to
     * {@code next} unchanged, without an extra step). A transformer that changes the body's length
     * removes Content-Length from the client's response in {@link #onResponseHeadersCopied}: the
     * servlet declares a Content-Length still there to the client.
     */
    default ContentTransformer responseTransformer(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                                   ContentTransformer next)
    {
        return null;
    }

    /**
     * The upstream response completed. Returns true when the participant answers the client itself
     * (the servlet then neither completes the response nor calls later participants).
     */
    default boolean onSuccess(Exchange exchange, HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse)
    {
        return false;
    }

    /**
     * The exchange failed and will not be retried: refused before going upstream ({@code failure}
     * null: no target available, every breaker open) or failed on the way (connect, timeout, reset,
     * a response taken over above). Returns true when the participant answered the client (a stale
     * response); the servlet then sends no error and calls no later participant.
     *
     * @param upstreamCaused the failure is the upstream's (only those count against it)
     */
    default boolean onFailure(Exchange exchange, HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                              Throwable failure, boolean upstreamCaused)
    {
        return false;
    }
}
