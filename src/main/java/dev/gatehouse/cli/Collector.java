package dev.gatehouse.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.gatehouse.http.Json;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code stream:false} request: collects stdout and stderr (bounded by the run's
 * {@code max-output}) and answers one JSON document when the run ends:
 * {@code {"run_id","stdout","stderr","exit_code","duration_ms","reason","truncated"}}.
 */
final class Collector implements Sink, AsyncListener
{
    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

    private final AsyncContext async;
    private final boolean base64;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private String exitFields;
    private boolean done;
    private Run run;

    Collector(AsyncContext async, boolean base64)
    {
        this.async = async;
        this.base64 = base64;
        async.addListener(this);
    }

    synchronized void bind(Run run)
    {
        this.run = run;
    }

    @Override
    public synchronized void enqueue(Event event)
    {
        byte[] data = event.data();
        if ("stdout".equals(event.type()))
            stdout.write(data, 0, data.length);
        else if ("stderr".equals(event.type()))
            stderr.write(data, 0, data.length);
        else if ("exit".equals(event.type()))
            exitFields = event.fields();
    }

    @Override
    public void deliver()
    {
        String body;
        synchronized (this)
        {
            if (exitFields == null || done)
                return;
            done = true;
            body = document();
        }
        try
        {
            HttpServletResponse response = (HttpServletResponse)async.getResponse();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
        catch (IOException | IllegalStateException x)
        {
            LOG.debug("cli client went away before the result", x);
        }
        finally
        {
            async.complete();
        }
    }

    private String document()
    {
        // exitFields: "code":N,"duration_ms":N,"reason":"…"
        String reason = exitFields.substring(exitFields.indexOf("\"reason\":") + 9);
        StringBuilder b = new StringBuilder(stdout.size() + stderr.size() + 128);
        b.append("{\"run_id\":").append(Json.quote(run == null ? null : run.id)).append(",\"stdout\":");
        text(b, stdout.toByteArray());
        b.append(",\"stderr\":");
        text(b, stderr.toByteArray());
        b.append(',').append(exitFields.replace("\"code\":", "\"exit_code\":"));
        b.append(",\"truncated\":").append(reason.equals("\"" + Run.OUTPUT_LIMIT + "\""));
        if (base64)
            b.append(",\"encoding\":\"base64\"");
        return b.append("}\n").toString();
    }

    private void text(StringBuilder b, byte[] data)
    {
        if (base64)
            b.append('"').append(Base64.getEncoder().encodeToString(data)).append('"');
        else
            Json.appendQuoted(b, new String(data, StandardCharsets.UTF_8));
    }

    @Override
    public void awaitCapacity()
    {
        // bounded by max-output: never blocks
    }

    @Override
    public void end()
    {
        // the exit event triggers the answer
    }

    private void gone()
    {
        Run r;
        synchronized (this)
        {
            if (done)
                return;
            done = true;
            r = run;
        }
        if (r != null)
            r.detached(this, true);
    }

    @Override
    public void onComplete(AsyncEvent event)
    {
        gone();
    }

    @Override
    public void onTimeout(AsyncEvent event)
    {
        gone();
        async.complete();
    }

    @Override
    public void onError(AsyncEvent event)
    {
        gone();
    }

    @Override
    public void onStartAsync(AsyncEvent event)
    {
        // not restarted
    }
}
