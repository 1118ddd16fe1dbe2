package dev.gatehouse.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;

/** Base of Gatehouse's filters: the instance's {@link GatehouseContext}, looked up once when the filter starts. */
public abstract class ContextFilter extends HttpFilter
{
    protected transient GatehouseContext context;

    @Override
    public void init() throws ServletException
    {
        context = GatehouseContext.from(getServletContext());
    }
}
