package dev.gatehouse.filter;

import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.web.ContextFilter;
import jakarta.servlet.ServletException;

/** A filter that records into the instance's {@link GatehouseMetrics}, looked up once when it starts. */
abstract class MeteredFilter extends ContextFilter
{
    protected transient GatehouseMetrics metrics;

    @Override
    public void init() throws ServletException
    {
        super.init();
        metrics = GatehouseMetrics.from(getServletContext());
    }
}
