package dev.gatehouse.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.support.Http;

import static org.junit.jupiter.api.Assertions.fail;

/** Shared helpers of the CLI tests: executable scripts, streaming requests, NDJSON events, polling. */
final class CliSupport
{
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = Http.direct();

    private CliSupport()
    {
    }

    /** Writes an executable {@code #!/bin/sh} script. */
    static Path script(Path dir, String name, String body) throws IOException
    {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    static HttpResponse<InputStream> post(String url, String json, String... headers) throws IOException, InterruptedException
    {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2)
            b.header(headers[i], headers[i + 1]);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    static HttpResponse<String> postString(String url, String json, String... headers) throws IOException, InterruptedException
    {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2)
            b.header(headers[i], headers[i + 1]);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String method, String url, String... headers) throws IOException, InterruptedException
    {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2)
            b.header(headers[i], headers[i + 1]);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String s) throws IOException
    {
        return JSON.readTree(s);
    }

    /** Every NDJSON event of a finished stream. */
    static List<JsonNode> events(String ndjson) throws IOException
    {
        List<JsonNode> events = new ArrayList<>();
        for (String line : ndjson.split("\n"))
        {
            if (!line.isEmpty())
                events.add(JSON.readTree(line));
        }
        return events;
    }

    /** Reads NDJSON events one by one from a live stream. */
    static final class Events implements AutoCloseable
    {
        private final BufferedReader reader;

        Events(InputStream in)
        {
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        /** The next event that is not a heartbeat, or null at the end. */
        JsonNode next() throws IOException
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                JsonNode n = JSON.readTree(line);
                if (!n.path("type").asText().equals("heartbeat"))
                    return n;
            }
            return null;
        }

        /** Concatenated data of the given stream until the exit event; returns the exit event. */
        JsonNode until(String type, StringBuilder data) throws IOException
        {
            JsonNode n;
            while ((n = next()) != null)
            {
                if (n.path("type").asText().equals("exit"))
                    return n;
                if (n.path("type").asText().equals(type))
                    data.append(n.path("data").asText());
            }
            return null;
        }

        @Override
        public void close() throws IOException
        {
            reader.close();
        }
    }

    /** Sends a raw HTTP/1.1 request on a socket the test controls (to disconnect, or to upload while reading). */
    static Socket raw(int port, String head) throws IOException
    {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return s;
    }

    /** Reads from a raw response until {@code text} appeared; returns everything read. */
    static String readUntil(InputStream in, String text) throws IOException
    {
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[4096];
        while (seen.indexOf(text) < 0)
        {
            int n = in.read(buf);
            if (n < 0)
                fail("stream ended before '" + text + "' in: " + seen);
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return seen.toString();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
                fail("timed out waiting for: " + what);
            Thread.sleep(20);
        }
    }

    /** True when the process no longer runs (absent, or a zombie waiting for a reaper that is not the proxy). */
    static boolean gone(long pid)
    {
        try
        {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        }
        catch (IOException x)
        {
            return true;
        }
    }

    static String python()
    {
        for (String p : List.of("/usr/bin/python3", "/usr/local/bin/python3"))
        {
            if (Files.isExecutable(Path.of(p)))
                return p;
        }
        return null;
    }
}
