package dev.gatehouse.server;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.annotation.Name;

/**
 * h2c next to HTTP/1.1: prior knowledge always; {@code Upgrade: h2c} only for requests without a
 * body. An upgraded request's body would have to be read as HTTP/1.1 after the 101 while the
 * connection already speaks HTTP/2, which Jetty does not do (the connection is dropped), so such
 * requests simply stay HTTP/1.1. Clients that try the upgrade on a POST (the JDK's HttpClient by
 * default) keep working.
 */
public class GatehouseH2cConnectionFactory extends HTTP2CServerConnectionFactory
{
    public GatehouseH2cConnectionFactory(@Name("config") HttpConfiguration config)
    {
        super(config);
    }

    @Override
    public Connection upgradeConnection(Connector connector, EndPoint endPoint, MetaData.Request request, HttpFields.Mutable responseFields)
    {
        if (request.getContentLength() > 0 || request.getHttpFields().contains(HttpHeader.TRANSFER_ENCODING))
            return null;
        return super.upgradeConnection(connector, endPoint, request, responseFields);
    }
}
