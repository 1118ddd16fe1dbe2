package dev.gatehouse.admin;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.gatehouse.admin.AdminAction;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.web.GatehouseContext;
import io.dropwizard.metrics.servlets.CpuProfileServlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /admin/pprof[?duration=<s>&frequency=<hz>&state=blocked]}: Dropwizard's CPU profiler
 * (pprof format), only with {@code admin.profiling=true} (read at start-up; otherwise 404, whatever
 * a container's {@code cpu-profile-enabled} says: this servlet, not AdminServlet, owns the path). An admin action: it needs
 * {@code Authorization: Bearer <admin.token>}. The caller may not choose an unbounded duration:
 * 1 to {@value #MAX_DURATION_SECONDS} seconds (default {@value #DEFAULT_DURATION_SECONDS}),
 * anything else is 400; one profile at a time (503 while another records).
 */
public class ProfileServlet extends CpuProfileServlet
{
    public static final int MAX_DURATION_SECONDS = 60;
    static final int DEFAULT_DURATION_SECONDS = 10;
    private final AtomicBoolean recording = new AtomicBoolean();
    private transient GatehouseContext context;
    private boolean enabled;

    @Override
    public void init() throws ServletException
    {
        super.init();
        context = GatehouseContext.from(getServletContext());
        enabled = context.config().adminProfiling();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException
    {
        if (!enabled)
        {
            ErrorResponse.send(request, response, ErrorCode.NOT_FOUND, "The CPU profiler is off (admin.profiling=false)");
            return;
        }
        if (!AdminAction.authorized(context, request, response))
            return;
        int duration = intParameter(request, "duration", DEFAULT_DURATION_SECONDS);
        if (duration < 1 || duration > MAX_DURATION_SECONDS)
        {
            ErrorResponse.send(request, response, ErrorCode.BAD_REQUEST,
                "duration must be a whole number of seconds from 1 to " + MAX_DURATION_SECONDS);
            return;
        }
        if (intParameter(request, "frequency", 100) < 1)
        {
            ErrorResponse.send(request, response, ErrorCode.BAD_REQUEST, "frequency must be a whole number of samples per second");
            return;
        }
        if (!recording.compareAndSet(false, true))
        {
            ErrorResponse.send(request, response, ErrorCode.SERVICE_UNAVAILABLE, "Another CPU profile is being recorded; try again later");
            return;
        }
        try
        {
            super.doGet(request, response);
        }
        finally
        {
            recording.set(false);
        }
    }

    /** The parameter as an int, the default when absent, or -1 when it is not a number. */
    private static int intParameter(HttpServletRequest request, String name, int dflt)
    {
        String value = request.getParameter(name);
        if (value == null)
            return dflt;
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (NumberFormatException x)
        {
            return -1;
        }
    }
}
