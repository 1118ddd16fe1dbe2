package dev.gatehouse.server;

import dev.gatehouse.observe.GatehouseMetrics;
import org.eclipse.jetty.io.Connection;

/** Counts the proxy listener's open client connections ({@code gatehouse_active_connections}). */
final class ConnectionCounter implements Connection.Listener
{
    private final GatehouseMetrics metrics;

    ConnectionCounter(GatehouseMetrics metrics)
    {
        this.metrics = metrics;
    }

    @Override
    public void onOpened(Connection connection)
    {
        metrics.connectionOpened();
    }

    @Override
    public void onClosed(Connection connection)
    {
        metrics.connectionClosed();
    }
}
