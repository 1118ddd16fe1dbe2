package dev.gatehouse.cli;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.http.Json;
import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.policy.AdminToken;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.policy.SecurityLog;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI endpoints under {@code cli.path-prefix} (default {@code /cli/}), asynchronous throughout:
 * no request thread is held while a program runs.
 * <ul>
 * <li>{@code POST execute}: JSON request; NDJSON (or SSE with {@code Accept: text/event-stream}) events,
 *     or one JSON document with {@code "stream":false}</li>
 * <li>{@code POST run/{name}?arg=…}: the body streams to stdin while output streams back</li>
 * <li>{@code GET commands}; {@code GET runs/{id}} re-attaches (replay, then live); {@code DELETE runs/{id}} kills</li>
 * </ul>
 * Every request needs a client address in {@code cli.acl.allow} and, when {@code cli.token} is set,
 * {@code Authorization: Bearer <token>}.
 */
public class CliServlet extends HttpServlet
{
    private static final Logger LOG = LoggerFactory.getLogger(CliServlet.class);
    /** Largest {@code POST execute} body (the JSON including stdin). */
    static final int MAX_EXECUTE_BODY = 1 << 20;

    private transient GatehouseContext context;
    private transient CliService service;

    @Override
    public void init() throws ServletException
    {
        context = GatehouseContext.from(getServletContext());
        service = CliService.from(getServletContext());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException
    {
        String client = ClientAddress.of(request, Snapshot.of(request, context).policy());
        if (!service.acl().contains(client))
        {
            refuse(request, response, client, new CliRejection(ErrorCode.ACL_DENIED, "cli-acl", "Your address may not use the CLI endpoints"));
            return;
        }
        CliRejection crossSite = crossSite(request);
        if (crossSite != null)
        {
            refuse(request, response, client, crossSite);
            return;
        }
        String token = service.config().token();
        if (token != null && !token.isEmpty() && !AdminToken.matches(token, request.getHeader("Authorization")))
        {
            OwnHeaders.set(request, response, "WWW-Authenticate", "Bearer realm=\"gatehouse-cli\"");
            refuse(request, response, client, new CliRejection(ErrorCode.UNAUTHORIZED, "cli-token", "A valid Bearer token is required"));
            return;
        }
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String method = request.getMethod();
        if (path.equals("/execute"))
            expect(request, response, "POST", () -> execute(request, response, client));
        else if (path.startsWith("/run/") && path.length() > 5)
            expect(request, response, "POST", () -> runDuplex(request, response, client, path.substring(5)));
        else if (path.equals("/commands"))
            expect(request, response, "GET", () -> commands(response));
        else if (path.startsWith("/runs/") && path.length() > 6 && method.equals("DELETE"))
            delete(request, response, path.substring(6));
        else if (path.startsWith("/runs/") && path.length() > 6)
            expect(request, response, "GET", () -> reattach(request, response, path.substring(6)));
        else
            ErrorResponse.send(request, response, ErrorCode.NOT_FOUND, "No such CLI endpoint");
    }

    /**
     * Browser defences: a request with an {@code Origin} header comes from a web page, refused
     * unless {@code cli.allowed-origins} lists it; the {@code Host} must name this proxy (its
     * listener address, a loopback name or {@code cli.allowed-hosts}), which defeats DNS rebinding.
     */
    private CliRejection crossSite(HttpServletRequest request)
    {
        String origin = request.getHeader("Origin");
        if (origin != null && !service.config().allowedOrigins().contains(origin.toLowerCase(Locale.ROOT)))
            return new CliRejection(ErrorCode.FORBIDDEN, "cli-origin", "Cross-origin requests to the CLI are not allowed");
        String host = request.getServerName();
        if (!Dispatch.namesThisProxy(request, context.config().proxyHost())
            && (host == null || !service.config().allowedHosts().contains(host.toLowerCase(Locale.ROOT))))
            return new CliRejection(ErrorCode.FORBIDDEN, "cli-host", "The Host header does not name this proxy");
        return null;
    }

    private interface Action
    {
        void run() throws IOException;
    }

    private static void expect(HttpServletRequest request, HttpServletResponse response, String method, Action action) throws IOException
    {
        if (request.getMethod().equals(method))
        {
            action.run();
            return;
        }
        OwnHeaders.set(request, response, "Allow", method);
        ErrorResponse.send(request, response, ErrorCode.METHOD_NOT_ALLOWED, "Use " + method + " here");
    }

    private void execute(HttpServletRequest request, HttpServletResponse response, String client) throws IOException
    {
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        request.getInputStream().setReadListener(new BodyReader(request.getInputStream(), MAX_EXECUTE_BODY, new BodyReader.Done()
        {
            @Override
            public void body(byte[] body)
            {
                if (body == null)
                {
                    fail(async, client, new CliRejection(ErrorCode.PAYLOAD_TOO_LARGE, "cli-body-size",
                        "The request body is larger than " + MAX_EXECUTE_BODY + " bytes"));
                    return;
                }
                try
                {
                    ExecuteRequest req = ExecuteRequest.parse(body);
                    CommandPolicy.Invocation invocation = service.policy().check(req.command(), req.args(), req.env(), req.timeout());
                    admit(async, client, () -> startExecute(async, client, req, invocation));
                }
                catch (CliRejection x)
                {
                    fail(async, client, x);
                }
            }

            @Override
            public void failed(Throwable failure)
            {
                LOG.debug("cli request body failed", failure);
                async.complete();
            }
        }));
    }

    private void startExecute(AsyncContext async, String client, ExecuteRequest req, CommandPolicy.Invocation invocation)
    {
        HttpServletRequest request = (HttpServletRequest)async.getRequest();
        HttpServletResponse response = (HttpServletResponse)async.getResponse();
        try
        {
            if (!req.stream())
            {
                response.setStatus(200);
                response.setContentType("application/json");
                response.setHeader("Cache-Control", "no-store");
                service.launch(invocation, client, req.detach(), req.stdin(), run ->
                {
                    Collector c = new Collector(async, req.base64());
                    c.bind(run);
                    return c;
                });
                return;
            }
            Subscriber subscriber = streamTo(request, response, async, req.base64());
            service.launch(invocation, client, req.detach(), req.stdin(), run ->
            {
                subscriber.bind(run, true, service);
                return subscriber;
            });
            subscriber.listen();
        }
        catch (IOException x)
        {
            cannotStart(async, client, x);
        }
    }

    private void runDuplex(HttpServletRequest request, HttpServletResponse response, String client, String name) throws IOException
    {
        List<String> args = new ArrayList<>();
        boolean base64 = false;
        for (String[] p : CommandList.query(request.getQueryString()))
        {
            if (p[0].equals("arg"))
                args.add(p[1]);
            else if (p[0].equals("encoding"))
                base64 = p[1].equalsIgnoreCase("base64");
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        CommandPolicy.Invocation invocation;
        try
        {
            invocation = service.policy().check(URLDecoder.decode(name, StandardCharsets.UTF_8), args, Map.of(), null);
        }
        catch (CliRejection x)
        {
            fail(async, client, x);
            return;
        }
        boolean b64 = base64;
        admit(async, client, () ->
        {
            try
            {
                Subscriber subscriber = streamTo(request, response, async, b64);
                Run run = service.launch(invocation, client, false, null, r ->
                {
                    subscriber.bind(r, true, service);
                    return subscriber;
                });
                StdinPump pump = new StdinPump(request.getInputStream(), run.stdin(), run.id);
                async.addListener(new AsyncEnd(pump::stop));
                request.getInputStream().setReadListener(pump);
                subscriber.listen();
            }
            catch (IOException x)
            {
                cannotStart(async, client, x);
            }
        });
    }

    private void reattach(HttpServletRequest request, HttpServletResponse response, String id) throws IOException
    {
        Run run = service.run(id);
        if (run == null)
        {
            ErrorResponse.send(request, response, ErrorCode.CLI_RUN_NOT_FOUND, "No such run (it may have expired)");
            return;
        }
        boolean base64 = false;
        for (String[] p : CommandList.query(request.getQueryString()))
            base64 |= p[0].equals("encoding") && p[1].equalsIgnoreCase("base64");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        Subscriber subscriber = streamTo(request, response, async, base64);
        subscriber.bind(run, false, service);
        run.attach(subscriber);
        subscriber.listen();
    }

    private void delete(HttpServletRequest request, HttpServletResponse response, String id) throws IOException
    {
        Run run = service.run(id);
        if (run == null)
        {
            ErrorResponse.send(request, response, ErrorCode.CLI_RUN_NOT_FOUND, "No such run (it may have expired)");
            return;
        }
        boolean running = !run.isFinished();
        if (running)
            run.kill(Run.KILLED);
        LOG.info("cli run {} deleted by request {}", run.id, RequestIds.of(request));
        response.setStatus(running ? 202 : 200);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("{\"run_id\":" + Json.quote(run.id) + ",\"state\":\"" + (running ? "killing" : "finished") + "\"}\n");
    }

    private void commands(HttpServletResponse response) throws IOException
    {
        response.setStatus(200);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(CommandList.json(service.config(), service.admission().running()));
    }

    /** Runs {@code start} now, or queued when a slot frees, or answers 429 CLI_BUSY. */
    private void admit(AsyncContext async, String client, Runnable start)
    {
        Runnable[] queued = new Runnable[1];
        queued[0] = () ->
        {
            if (service.isClosed())
            {
                fail(async, client, new CliRejection(ErrorCode.SERVICE_UNAVAILABLE, "cli-stopping", "The proxy is stopping"));
                return;
            }
            start.run();
        };
        switch (service.admission().acquire(queued[0]))
        {
            case GRANTED -> start.run();
            case QUEUED -> async.addListener(new AsyncEnd(() -> service.admission().cancel(queued[0])));
            case REJECTED ->
            {
                OwnHeaders.set((HttpServletRequest)async.getRequest(), (HttpServletResponse)async.getResponse(), "Retry-After", "1");
                fail(async, client, new CliRejection(ErrorCode.CLI_BUSY, "cli-busy",
                    "All " + service.config().maxConcurrent() + " CLI slots are busy; retry later"));
            }
        }
    }

    private Subscriber streamTo(HttpServletRequest request, HttpServletResponse response, AsyncContext async, boolean base64)
        throws IOException
    {
        String accept = request.getHeader("Accept");
        Event.Format format = accept != null && accept.contains("text/event-stream") ? Event.Format.SSE : Event.Format.NDJSON;
        response.setStatus(200);
        response.setContentType(format.contentType);
        response.setHeader("Cache-Control", "no-store");
        return new Subscriber(async, format, base64);
    }

    private void cannotStart(AsyncContext async, String client, IOException x)
    {
        LOG.warn("cli: cannot start a program: {}", x.getMessage());
        fail(async, client, new CliRejection(ErrorCode.INTERNAL, "cli-start-failed", "The program could not be started"));
    }

    private void fail(AsyncContext async, String client, CliRejection x)
    {
        try
        {
            refuse((HttpServletRequest)async.getRequest(), (HttpServletResponse)async.getResponse(), client, x);
        }
        catch (IOException | IllegalStateException e)
        {
            LOG.debug("cli client went away before the refusal", e);
        }
        finally
        {
            async.complete();
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String client, CliRejection x) throws IOException
    {
        service.metrics().rejected(x.reason());
        if (x.code().status() == 401 || x.code().status() == 403)
            SecurityLog.event(x.reason(), client, RequestIds.of(request), request.getRequestURI());
        ErrorResponse.send(request, response, x.code(), x.getMessage(), x.reason());
    }
}
