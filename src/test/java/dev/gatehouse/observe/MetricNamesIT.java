package dev.gatehouse.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import org.junit.jupiter.api.Test;

/**
 * Every series on a live {@code /metrics} scrape follows one convention: the proxy's own start with
 * {@code gatehouse_}, counters end in {@code _total}, units are base units named as the last word
 * ({@code _seconds}, {@code _bytes}). Only the standard JVM ({@code jvm_}) and Jetty thread pool
 * ({@code org_eclipse_jetty_}) series of the Dropwizard instrumentation keep their own names.
 */
class MetricNamesIT
{
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);
    private static final List<String> STANDARD = List.of("jvm_", "org_eclipse_jetty_");

    /** The problems of one series name, empty when it follows the convention. */
    static List<String> problems(String name, String type)
    {
        List<String> problems = new ArrayList<>();
        if (STANDARD.stream().anyMatch(name::startsWith))
            return problems;
        if (!name.startsWith("gatehouse_"))
            problems.add(name + ": the proxy's own series start with gatehouse_");
        if (!name.matches("[a-z_][a-z0-9_]*"))
            problems.add(name + ": lower case letters, digits and _ only");
        boolean counter = type.equals("counter");
        if (counter != name.endsWith("_total"))
            problems.add(name + ": " + (counter ? "a counter ends in _total" : "only counters end in _total"));
        String base = name.replaceFirst("_total$", "");
        if (counter && base.matches(".*_(active|open|in_flight|running|queued)(_.*)?"))
            problems.add(name + ": a value that goes down is a gauge, not a counter");
        if (base.matches(".*(_ms|_us|millis|micros|milliseconds|microseconds|_kb|_mb|kilobytes|megabytes).*"))
            problems.add(name + ": base units only (seconds, bytes)");
        if (base.contains("bytes") && !base.endsWith("_bytes"))
            problems.add(name + ": bytes is the unit and comes last (_bytes, _bytes_total)");
        if ((base.contains("duration") || base.contains("latency") || base.contains("seconds")) && !base.endsWith("_seconds"))
            problems.add(name + ": a duration is in seconds and ends in _seconds");
        return problems;
    }

    static Map<String, String> families(String scrape)
    {
        Map<String, String> families = new LinkedHashMap<>();
        Matcher m = TYPE.matcher(scrape);
        while (m.find())
            families.put(m.group(1), m.group(2));
        return families;
    }

    @Test
    void theConventionCatchesTheOldNames()
    {
        assertFalse(problems("cache_hits_total", "counter").isEmpty(), "cache_hits_total");
        assertFalse(problems("gatehouse_bytes_sent_total", "counter").isEmpty(), "gatehouse_bytes_sent_total");
        assertFalse(problems("gatehouse_requests_duration", "summary").isEmpty(), "gatehouse_requests_duration");
        assertFalse(problems("gatehouse_requests", "counter").isEmpty(), "gatehouse_requests");
        assertFalse(problems("gatehouse_latency_ms", "gauge").isEmpty(), "gatehouse_latency_ms");
        assertFalse(problems("gatehouse_connector_proxy_active_total", "counter").isEmpty(), "gatehouse_connector_proxy_active_total");
        assertEquals(List.of(), problems("gatehouse_sent_bytes_total", "counter"));
        assertEquals(List.of(), problems("jvm_gc_G1_Young_Generation_time", "gauge"));
    }

    @Test
    void everySeriesOfALiveScrapeFollowsTheConvention() throws Exception
    {
        try (Origin origin = new Origin("names");
             Gatehouse proxy = Gatehouse.start("routes", "app", "routes.app.targets", origin.url(), "cache.enabled", "true",
                 "cli.enabled", "true", "cli.commands.echo.path", "/bin/echo", "acl.deny", "192.0.2.0/24", "trust.proxies", "127.0.0.1"))
        {
            // one of everything that adds series: proxied requests, a cache hit, a refusal, a CLI run
            for (int i = 0; i < 2; i++)
                assertEquals(200, Http.get(Http.direct(), proxy.url() + "/cacheable?max-age=60").statusCode());
            assertEquals(403, Http.get(Http.direct(), proxy.url() + "/echo", "X-Forwarded-For", "192.0.2.9").statusCode());
            HttpResponse<String> run = Http.direct().send(HttpRequest.newBuilder(URI.create(proxy.url() + "/cli/execute"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"echo\",\"args\":[\"hi\"],\"stream\":false}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, run.statusCode(), run.body());

            String scrape = Http.get(Http.direct(), proxy.adminUrl() + "/metrics").body();
            Map<String, String> families = families(scrape);
            for (String expected : List.of("gatehouse_requests_total", "gatehouse_request_duration_seconds", "gatehouse_received_bytes_total",
                "gatehouse_sent_bytes_total", "gatehouse_rejections_total", "gatehouse_cache_hits_total", "gatehouse_cache_bytes",
                "gatehouse_cli_runs_duration_seconds", "gatehouse_cli_output_bytes_total", "gatehouse_connector_proxy_open_connections",
                "jvm_memory_heap_used"))
                assertTrue(families.containsKey(expected), expected + " in " + families.keySet());
            List<String> problems = new ArrayList<>();
            families.forEach((name, type) -> problems.addAll(problems(name, type)));
            assertEquals(List.of(), problems, "series that break the naming convention");
        }
    }
}
