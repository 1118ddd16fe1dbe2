package dev.gatehouse.server;

import dev.gatehouse.routing.RequestForm;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.annotation.Name;

/**
 * HTTP/1.1 connections that remember whether a request line was in absolute-form
 * ({@code GET http://host/path}), which only forward-proxy clients send. Jetty fills in scheme
 * and authority for origin-form requests from the Host header, so after parsing the two look
 * alike; the proxy needs to tell them apart to decide between forwarding and routing.
 */
public class GatehouseHttpConnectionFactory extends HttpConnectionFactory
{
    public GatehouseHttpConnectionFactory(@Name("config") HttpConfiguration config)
    {
        super(config);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint)
    {
        HttpConnection connection = new HttpConnection(getHttpConfiguration(), connector, endPoint)
        {
            @Override
            protected HttpStreamOverHTTP1 newHttpStream(String method, String uri, HttpVersion version)
            {
                boolean absolute = RequestForm.isAbsoluteForm(uri);
                return new HttpStreamOverHTTP1(method, uri, version)
                {
                    @Override
                    public Runnable headerComplete()
                    {
                        Runnable handle = super.headerComplete();
                        Request request = getHttpChannel().getRequest();
                        if (request != null)
                            request.setAttribute(RequestForm.ABSOLUTE_FORM_ATTRIBUTE, absolute);
                        return handle;
                    }
                };
            }
        };
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }
}
