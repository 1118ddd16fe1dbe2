package dev.gatehouse.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.policy.SecurityLog;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty produces itself (bad request line, headers too large, unknown path on the admin
 * listener) get the same JSON body as the proxy's own errors, whatever the client's Accept says.
 * {@link Servlet} is the same for servlet contexts.
 */
public class JsonErrorHandler extends ErrorHandler
{
    private static final List<Charset> UTF_8 = List.of(StandardCharsets.UTF_8);

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException
    {
        prepare(request, response, code, message);
        generateAcceptableResponse(request, response, callback, ErrorResponse.CONTENT_TYPE, UTF_8, code, message, cause);
    }

    /** Every method gets the body, not only GET, POST and HEAD (Jetty's default): DELETE, CONNECT, PUT too. */
    @Override
    public boolean errorPageForMethod(String method)
    {
        return true;
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause)
    {
        writeBody(request, writer, code);
    }

    /** The request id on the response, the refusal logged: what both flavours do before writing the body. */
    static void prepare(Request request, Response response, int code, String message)
    {
        response.getHeaders().put(RequestIds.HEADER, requestId(request));
        logRefusal(request, code, message);
    }

    /** A request Jetty refused before any filter saw it (malformed, ambiguous framing, too large) is a security event. */
    static void logRefusal(Request request, int code, String message)
    {
        if (code == 400 || code == 414 || code == 431 || code == 413)
        {
            SecurityLog.event("http-" + code, Request.getRemoteAddr(request), requestId(request), message);
            if (request.getContext().getAttribute(GatehouseMetrics.ATTRIBUTE) instanceof GatehouseMetrics metrics)
                metrics.rejection("http-" + code);
        }
    }

    /**
     * The body. Jetty's messages can carry request data, so the client sees the status text
     * instead; the cause is logged by Jetty, not shown.
     */
    static void writeBody(Request request, PrintWriter writer, int code)
    {
        writer.append(ErrorResponse.body(ErrorCode.forStatus(code), HttpStatus.getMessage(code), requestId(request)));
    }

    static String requestId(Request request)
    {
        Object id = request.getAttribute(RequestIds.ATTRIBUTE);
        if (id instanceof String s)
            return s;
        String chosen = RequestIds.choose(request.getHeaders().get(RequestIds.HEADER));
        request.setAttribute(RequestIds.ATTRIBUTE, chosen);
        return chosen;
    }

    /** The servlet-context flavour: same body, Jetty's servlet error plumbing. */
    public static class Servlet extends org.eclipse.jetty.ee10.servlet.ErrorHandler
    {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) throws IOException
        {
            prepare(request, response, code, message);
            generateAcceptableResponse(request, response, callback, ErrorResponse.CONTENT_TYPE, UTF_8, code, message, cause);
        }

        @Override
        public boolean errorPageForMethod(String method)
        {
            return true;
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause)
        {
            writeBody(request, writer, code);
        }
    }
}
