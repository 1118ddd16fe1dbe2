package dev.gatehouse.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/** JDK HTTP clients: direct (reverse proxy use) and through the proxy (forward use). */
public final class Http
{
    private Http()
    {
    }

    public static HttpClient direct()
    {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static HttpClient via(int proxyPort)
    {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
            .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort))).build();
    }

    public static HttpResponse<String> get(HttpClient client, String url, String... headers) throws IOException, InterruptedException
    {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2)
            b.header(headers[i], headers[i + 1]);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of {@code name: value} in an {@link Origin} echo body, or null. */
    public static String echoed(String echoBody, String name)
    {
        String prefix = name.toLowerCase(Locale.ROOT) + ": ";
        for (String line : echoBody.split("\n"))
        {
            if (line.startsWith(prefix))
                return line.substring(prefix.length());
        }
        return null;
    }
}
