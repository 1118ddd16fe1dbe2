package dev.gatehouse.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * A container health check without curl or wget (the JRE image has neither by contract):
 * {@code java -cp gatehouse.jar dev.gatehouse.server.HealthProbe http://127.0.0.1:9090/health/liveness}
 * exits 0 when the URL answers 200 within two seconds, 1 otherwise (Docker's HEALTHCHECK contract).
 */
public final class HealthProbe
{
    private HealthProbe()
    {
    }

    public static void main(String[] args)
    {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:9090/health/liveness";
        int status = probe(url, 2000);
        if (status != 200)
            System.err.println("unhealthy: " + url + " answered " + (status < 0 ? "nothing" : Integer.toString(status)));
        System.exit(status == 200 ? 0 : 1);
    }

    /** The status {@code GET url} answers, or -1 if nothing does within the timeout. */
    static int probe(String url, int timeoutMillis)
    {
        try
        {
            HttpURLConnection connection = (HttpURLConnection)URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            connection.setInstanceFollowRedirects(false);
            try
            {
                int status = connection.getResponseCode();
                try (InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream())
                {
                    if (body != null)
                        body.readAllBytes();
                }
                return status;
            }
            finally
            {
                connection.disconnect();
            }
        }
        catch (IOException | IllegalArgumentException x)
        {
            return -1;
        }
    }
}
