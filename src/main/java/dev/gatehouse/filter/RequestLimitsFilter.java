package dev.gatehouse.filter;

import java.io.IOException;
import java.util.Enumeration;

import dev.gatehouse.config.PolicyConfig;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Request limits ({@code limits.*}): allowed methods (405), URL length (414), header count and total
 * header size (431), and a declared Content-Length over the body limit (413). A chunked body is
 * counted while it streams, by the proxy servlet, and cut off at the limit.
 */
public class RequestLimitsFilter extends PolicyFilter
{
    @Override
    protected boolean decide(HttpServletRequest request, HttpServletResponse response, Snapshot snapshot, Dispatch dispatch)
        throws IOException
    {
        PolicyConfig limits = snapshot.policy().config();
        String method = request.getMethod();
        if (!limits.allowedMethods().contains(method))
        {
            OwnHeaders.set(request, response, "Allow", String.join(", ", limits.allowedMethods()));
            return reject(request, response, snapshot, ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed", "method", method);
        }
        String query = request.getQueryString();
        int urlLength = request.getRequestURI().length() + (query == null ? 0 : query.length() + 1);
        if (urlLength > limits.maxUrlLength())
            return reject(request, response, snapshot, ErrorCode.URI_TOO_LONG,
                "The request URL is longer than " + limits.maxUrlLength() + " characters", "url-length", Integer.toString(urlLength));
        int count = 0;
        long size = 0;
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); )
        {
            String name = names.nextElement();
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); )
            {
                count++;
                size += name.length() + values.nextElement().length() + 4;
            }
        }
        if (count > limits.maxHeaders())
            return reject(request, response, snapshot, ErrorCode.HEADERS_TOO_LARGE,
                "More than " + limits.maxHeaders() + " request headers", "header-count", Integer.toString(count));
        if (size > limits.maxHeaderSize())
            return reject(request, response, snapshot, ErrorCode.HEADERS_TOO_LARGE,
                "Request headers larger than " + limits.maxHeaderSize() + " bytes", "header-size", Long.toString(size));
        long max = limits.maxBodySize();
        long declared = request.getContentLengthLong();
        if (max > 0 && declared > max)
        {
            OwnHeaders.set(request, response, "Connection", "close");
            return reject(request, response, snapshot, ErrorCode.PAYLOAD_TOO_LARGE,
                "The request body is larger than " + max + " bytes", "body-size", Long.toString(declared));
        }
        return true;
    }
}
