package dev.gatehouse.tls;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import dev.gatehouse.support.Certificates;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.Poll;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS towards upstreams: verified by default, custom CAs, the insecure opt-out, client certificates, h2 by ALPN. */
class UpstreamTlsIT
{
    @TempDir
    static Path dir;
    static Certificates certs;
    static Origin origin;
    static Origin mutual;

    @BeforeAll
    static void start() throws Exception
    {
        certs = new Certificates(dir);
        Path server = certs.issue("origin", "localhost", "dns:localhost");
        certs.issue("client", "gatehouse-client", "dns:gatehouse");
        certs.pem("client");
        origin = new Origin("tls-upstream", 0, serverSsl(server, false));
        mutual = new Origin("mtls-upstream", 0, serverSsl(server, true));
    }

    private static SslContextFactory.Server serverSsl(Path keystore, boolean needClientAuth) throws Exception
    {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keystore.toString());
        ssl.setKeyStorePassword(Certificates.PASSWORD);
        if (needClientAuth)
        {
            ssl.setNeedClientAuth(true);
            ssl.setTrustStorePath(certs.caTrustStore().toString());
            ssl.setTrustStorePassword(Certificates.PASSWORD);
        }
        return ssl;
    }

    @AfterAll
    static void stop() throws Exception
    {
        origin.close();
        mutual.close();
    }

    private static HttpResponse<String> get(Gatehouse proxy) throws Exception
    {
        return Http.get(Http.direct(), proxy.url() + "/echo");
    }

    private static Gatehouse route(String target, String... extra) throws Exception
    {
        String[] base = {"routes", "app", "routes.app.targets", target, "routes.app.retry.max-attempts", "1"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return Gatehouse.start(all);
    }

    @Test
    void refusesAnUpstreamCertificateItDoesNotTrustWithA502JsonError() throws Exception
    {
        try (Gatehouse proxy = route(origin.url()))
        {
            int before = origin.requests();
            HttpResponse<String> r = get(proxy);
            assertEquals(502, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"code\":\"UPSTREAM_UNAVAILABLE\""), r.body());
            assertEquals(before, origin.requests(), "no request reached the untrusted upstream");
        }
    }

    @Test
    void trustsACustomCaFromAPemBundleOrATrustStore() throws Exception
    {
        try (Gatehouse proxy = route(origin.url(), "upstream.tls.ca-file", certs.caPem().toString()))
        {
            HttpResponse<String> r = get(proxy);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("tls-upstream", r.headers().firstValue("X-Origin").orElse(null));
        }
        try (Gatehouse proxy = route(origin.url(), "upstream.tls.trust-store", certs.caTrustStore().toString(),
            "upstream.tls.trust-store-password", Certificates.PASSWORD))
        {
            assertEquals(200, get(proxy).statusCode());
        }
    }

    @Test
    void verifiesTheHostNameEvenForATrustedCa() throws Exception
    {
        // the certificate names localhost only
        try (Gatehouse proxy = route("https://127.0.0.1:" + origin.port(), "upstream.tls.ca-file", certs.caPem().toString()))
        {
            assertEquals(502, get(proxy).statusCode());
        }
    }

    @Test
    void insecureRoutesSkipVerificationExplicitly() throws Exception
    {
        try (Gatehouse proxy = route("https://127.0.0.1:" + origin.port(), "routes.app.tls.insecure", "true"))
        {
            assertEquals(200, get(proxy).statusCode());
        }
    }

    @Test
    void healthChecksVerifyLikeTheProxy() throws Exception
    {
        String[] checks = {"routes.app.health.path", "/echo", "routes.app.health.interval", "100ms", "routes.app.health.unhealthy-threshold", "2"};
        try (Gatehouse proxy = route(origin.url(), concat(checks, "upstream.tls.ca-file", certs.caPem().toString()));
             Gatehouse insecure = route("https://127.0.0.1:" + origin.port(), concat(checks, "routes.app.tls.insecure", "true")))
        {
            int before = origin.requests();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            // both proxies' probes reach the origin (a failing handshake never would)
            while (origin.requests() < before + 8 && System.nanoTime() < deadline)
                Poll.pause();
            assertTrue(origin.requests() >= before + 8, "probes passed the TLS handshake");
            assertEquals(200, get(proxy).statusCode(), "still healthy");
            assertEquals(200, get(insecure).statusCode(), "still healthy");
        }
    }

    private static String[] concat(String[] a, String... b)
    {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void presentsAClientCertificateToAnUpstreamThatRequiresOne() throws Exception
    {
        try (Gatehouse proxy = route(mutual.url(), "upstream.tls.ca-file", certs.caPem().toString()))
        {
            assertEquals(502, get(proxy).statusCode(), "no client certificate");
        }
        try (Gatehouse proxy = route(mutual.url(), "upstream.tls.ca-file", certs.caPem().toString(),
            "upstream.tls.client-keystore", dir.resolve("client.p12").toString(), "upstream.tls.client-keystore-password", Certificates.PASSWORD))
        {
            HttpResponse<String> r = get(proxy);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("mtls-upstream", r.headers().firstValue("X-Origin").orElse(null));
        }
        try (Gatehouse proxy = route(mutual.url(), "upstream.tls.ca-file", certs.caPem().toString(),
            "upstream.tls.client-certificate", dir.resolve("client-chain.pem").toString(),
            "upstream.tls.client-private-key", dir.resolve("client-key.pem").toString()))
        {
            assertEquals(200, get(proxy).statusCode());
        }
    }

    @Test
    void speaksH2ToAnUpstreamThatNegotiatesIt() throws Exception
    {
        try (Gatehouse proxy = route(origin.url(), "upstream.tls.ca-file", certs.caPem().toString(), "routes.app.protocol", "h2"))
        {
            HttpResponse<String> r = get(proxy);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("HTTP/2.0", r.headers().firstValue("X-Origin-Protocol").orElse(null));
        }
        try (Gatehouse proxy = route(origin.url(), "upstream.tls.ca-file", certs.caPem().toString()))
        {
            assertEquals("HTTP/1.1", get(proxy).headers().firstValue("X-Origin-Protocol").orElse(null), "http/1.1 by default");
        }
    }
}
