package dev.gatehouse.observe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.support.EchoServer;
import dev.gatehouse.support.ExternalClients;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The admin dashboard in a real headless Chromium, against the real proxy under background
 * traffic (2xx, 3xx, 4xx, 5xx, rejections, two open CONNECT tunnels, one dead upstream). Without a
 * browser the browser test is skipped, or fails with {@code GATEHOUSE_REQUIRE_BROWSER=1}. With the
 * system property {@code it.screenshot} the screenshot is copied to {@code docs/dashboard.png}
 * (or to the path given as its value).
 */
class DashboardBrowserIT
{
    private static final Duration BROWSER_TIMEOUT = Duration.ofSeconds(60);
    /** Virtual time for the assertions (six polls) and for the docs screenshot (a fuller history). */
    private static final int BUDGET_MS = 6000;
    private static final int DOCS_BUDGET_MS = 40_000;

    static Origin origin;
    static Origin origin2;
    static EchoServer echo;
    static Gatehouse proxy;

    @BeforeAll
    static void start() throws Exception
    {
        origin = new Origin("one");
        origin2 = new Origin("two");
        echo = new EchoServer();
        int deadPort;
        try (ServerSocket s = new ServerSocket(0))
        {
            deadPort = s.getLocalPort();
        }
        proxy = Gatehouse.start("routes", "legacy,app",
            "routes.legacy.match.path", "/legacy",
            "routes.legacy.targets", "http://127.0.0.1:" + deadPort,
            "routes.legacy.health.path", "/echo", "routes.legacy.health.interval", "200ms",
            "routes.legacy.ratelimit.requests-per-second", "5",
            "routes.app.targets", origin.url() + "," + origin2.url(),
            "routes.app.health.path", "/echo", "routes.app.health.interval", "200ms",
            "limits.max-url-length", "1024",
            "filter.blocked", "*.blocked.test",
            "connect.allowed-ports", "443," + echo.port());
    }

    @AfterAll
    static void stop() throws Exception
    {
        for (AutoCloseable c : new AutoCloseable[] {proxy, echo, origin2, origin})
        {
            if (c != null)
                c.close();
        }
    }

    @Test
    void servesThePageItsAssetsAndTheJson() throws Exception
    {
        HttpClient client = Http.direct();
        Http.get(Http.direct(), proxy.url() + "/echo");
        HttpResponse<String> page = Http.get(client, proxy.adminUrl() + "/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(page.body().contains("dashboard.js") && !page.body().contains("//cdn"), "self-contained page");
        assertEquals(page.body(), Http.get(client, proxy.adminUrl() + "/index.html").body());
        HttpResponse<String> js = Http.get(client, proxy.adminUrl() + "/dashboard.js");
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"), js.headers().toString());
        HttpResponse<String> css = Http.get(client, proxy.adminUrl() + "/dashboard.css");
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"), css.headers().toString());

        HttpResponse<String> json = Http.get(client, proxy.adminUrl() + "/dashboard.json");
        assertEquals(200, json.statusCode());
        assertEquals("application/json", json.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-store", json.headers().firstValue("Cache-Control").orElse(""));
        String body = json.body();
        for (String part : new String[] {"\"proxy_id\":\"gh-test\"", "\"requests\":", "\"status\":{\"1xx\":", "\"latency\":{\"p50\":",
            "\"connections\":", "\"tunnels\":", "\"bytes\":{\"received\":", "\"rejections\":{",
            "\"app\":{\"healthy\":", "\"total\":2", "\"url\":\"" + origin.url() + "\"", "\"breaker\":\"CLOSED\"", "\"in_flight\":"})
            assertTrue(body.contains(part), part + " in " + body);

        HttpResponse<String> missing = Http.get(client, proxy.adminUrl() + "/nothing-here");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("\"code\":\"NOT_FOUND\""), missing.body());
        assertEquals(404, Http.get(client, proxy.adminUrl() + "/missing.js").statusCode());
    }

    @Test
    void rendersLiveChartsInHeadlessChromium(@TempDir Path tmp) throws Exception
    {
        String browser = ExternalClients.chromium();
        try (Traffic traffic = new Traffic(); Socket tunnel1 = tunnel(); Socket tunnel2 = tunnel())
        {
            traffic.awaitAtLeast(300, Duration.ofSeconds(20));
            String url = proxy.adminUrl() + "/";
            String dom = run(browser, tmp.resolve("dom"), BUDGET_MS, "--dump-dom", url);
            Matcher updates = Pattern.compile("<body[^>]*data-updates=\"(\\d+)\"").matcher(dom);
            assertTrue(updates.find(), dom);
            assertTrue(Integer.parseInt(updates.group(1)) >= 3, "successful polls: " + updates.group(1));
            assertTrue(samples(dom, "chart-rps") > 0, "the requests chart has points");
            assertTrue(samples(dom, "chart-latency") > 0, "the latency chart has points");
            assertTrue(samples(dom, "chart-status") > 0, "the status chart has bars");
            assertTrue(samples(dom, "chart-rejections") > 0, "the rejections chart has bars");
            assertTrue(Pattern.compile("<span class=\"chip ok\"[^>]*data-route=\"app\"").matcher(dom).find(), "healthy app chip");
            assertTrue(dom.contains("id=\"proxy-id\" title=\"proxy.id\">gh-test<"), "the proxy id in the header");
            assertTrue(Pattern.compile("id=\"rps\">[0-9.]+k?<").matcher(dom).find(), "requests per second as text");

            String target = System.getProperty("it.screenshot");
            Path png = tmp.resolve("dashboard.png");
            run(browser, tmp.resolve("shot"), target == null ? BUDGET_MS : DOCS_BUDGET_MS,
                "--screenshot=" + png, "--window-size=1280,900", url);
            byte[] bytes = Files.readAllBytes(png);
            assertTrue(bytes.length > 10_000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG screenshot");
            if (target != null)
            {
                Path docs = target.isBlank() || target.equals("true") ? Path.of("docs", "dashboard.png") : Path.of(target);
                Files.createDirectories(docs.toAbsolutePath().getParent());
                Files.copy(png, docs, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static int samples(String dom, String canvasId)
    {
        Matcher tag = Pattern.compile("<canvas[^>]*id=\"" + canvasId + "\"[^>]*>").matcher(dom);
        assertTrue(tag.find(), canvasId + " in " + dom);
        Matcher n = Pattern.compile("data-samples=\"(\\d+)\"").matcher(tag.group());
        assertTrue(n.find(), tag.group());
        return Integer.parseInt(n.group(1));
    }

    /** An open CONNECT tunnel to the echo server (counts as an active tunnel while open). */
    private static Socket tunnel() throws IOException
    {
        Socket socket = new Socket("127.0.0.1", proxy.port());
        socket.setSoTimeout(10_000);
        String authority = "127.0.0.1:" + echo.port();
        OutputStream out = socket.getOutputStream();
        out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        assertEquals(200, RawHttp.read(socket.getInputStream(), false).status());
        return socket;
    }

    /** Runs headless Chromium with its own profile directory; returns its standard output. */
    private static String run(String browser, Path profile, int virtualTimeMs, String... args) throws Exception
    {
        Files.createDirectories(profile);
        List<String> command = new ArrayList<>(List.of(browser, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--user-data-dir=" + profile.resolve("data"), "--virtual-time-budget=" + virtualTimeMs));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false)
            .redirectError(profile.resolve("stderr.txt").toFile());
        builder.environment().put("XDG_CONFIG_HOME", profile.resolve("config").toString());
        builder.environment().put("XDG_CACHE_HOME", profile.resolve("cache").toString());
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() ->
        {
            try (InputStream in = process.getInputStream())
            {
                return in.readAllBytes();
            }
            catch (IOException x)
            {
                return new byte[0];
            }
        });
        if (!process.waitFor(BROWSER_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("chromium did not finish within " + BROWSER_TIMEOUT + ": " + Files.readString(profile.resolve("stderr.txt")));
        }
        String out = new String(stdout.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "chromium exit status; stderr: " + Files.readString(profile.resolve("stderr.txt")));
        return out;
    }

    /**
     * Background traffic through the proxy, paced at a few hundred requests per second and
     * bounded (count and time): mostly 2xx, some 3xx, 4xx, 5xx, a dead route and rejections.
     */
    static final class Traffic implements AutoCloseable
    {
        private static final int MAX_REQUESTS = 15_000;
        private static final Duration MAX_TIME = Duration.ofSeconds(90);

        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger sent = new AtomicInteger();
        private final List<Thread> threads = new ArrayList<>();

        Traffic()
        {
            for (int t = 0; t < 2; t++)
            {
                Thread thread = new Thread(this::loop, "dashboard-traffic-" + t);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void loop()
        {
            HttpClient direct = Http.direct();
            HttpClient forward = Http.via(proxy.port());
            long deadline = System.nanoTime() + MAX_TIME.toNanos();
            while (!stop.get() && System.nanoTime() < deadline)
            {
                int i = sent.getAndIncrement();
                if (i >= MAX_REQUESTS)
                    return;
                try
                {
                    HttpRequest.Builder request = switch (i % 40)
                    {
                        case 3 -> get("/status?code=503");
                        case 7, 27 -> get("/status?code=404");
                        case 11 -> get("/status?code=302");
                        case 13, 33 -> get("/legacy/orders");
                        case 17 -> get("/slow?ms=40");
                        case 21 -> get("/echo/" + "x".repeat(1200));
                        case 23 -> get("/echo").method("TRACE", HttpRequest.BodyPublishers.noBody());
                        case 29 -> HttpRequest.newBuilder(URI.create("http://www.blocked.test/"));
                        default -> get("/echo?i=" + i);
                    };
                    (i % 40 == 29 ? forward : direct).send(request.timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(4);
                }
                catch (InterruptedException x)
                {
                    return;
                }
                catch (IOException x)
                {
                    // a refused or reset request is traffic too
                }
            }
        }

        private static HttpRequest.Builder get(String path)
        {
            return HttpRequest.newBuilder(URI.create(proxy.url() + path));
        }

        void awaitAtLeast(int requests, Duration timeout) throws InterruptedException
        {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (sent.get() < requests && System.nanoTime() < deadline)
                Thread.sleep(20);
            assertTrue(sent.get() >= requests, "background traffic: " + sent.get() + " requests");
        }

        @Override
        public void close() throws InterruptedException
        {
            stop.set(true);
            for (Thread t : threads)
                t.join(15_000);
        }
    }
}
