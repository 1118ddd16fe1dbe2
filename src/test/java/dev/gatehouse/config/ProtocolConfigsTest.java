package dev.gatehouse.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolConfigsTest
{
    @TempDir
    Path dir;

    private static GatehouseConfig load(String... kv)
    {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2)
            map.put(kv[i], kv[i + 1]);
        return ConfigLoader.fromMap(map);
    }

    private static void rejects(String key, String... kv)
    {
        ConfigException x = assertThrows(ConfigException.class, () -> load(kv));
        assertEquals(key, x.key(), x.getMessage());
    }

    @Test
    void defaults()
    {
        ProtocolConfig p = GatehouseConfig.defaults().protocols();
        assertTrue(p.compression().enabled());
        assertEquals(1024, p.compression().minSize());
        assertEquals(5, p.compression().gzipLevel());
        assertEquals(4, p.compression().brotliQuality());
        assertTrue(p.http2().enabled());
        assertEquals(128, p.http2().maxConcurrentStreams());
        assertFalse(p.tls().enabled());
        assertEquals(8443, p.tls().port());
        assertEquals("127.0.0.1", p.tls().host(), "tls.host defaults to proxy.host");
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), p.tls().protocols());
        assertEquals(ProtocolConfig.RouteTransport.DEFAULT, p.route("anything"));
    }

    @Test
    void validatesCompression()
    {
        rejects("compression.gzip.level", "compression.gzip.level", "10");
        rejects("compression.brotli.quality", "compression.brotli.quality", "12");
        rejects("compression.types", "compression.types", "text/*,json");
        rejects("compression.min-size", "compression.min-size", "big");
        assertEquals(List.of("text/*", "application/*+json"), load("compression.types", "TEXT/*, application/*+json").protocols().compression().types());
    }

    @Test
    void readsAndValidatesRouteProtocols()
    {
        GatehouseConfig c = load("routes", "a,b", "routes.a.targets", "http://10.0.0.1", "routes.a.protocol", "h2c",
            "routes.b.targets", "https://b.internal", "routes.b.protocol", "H2", "routes.b.tls.insecure", "true");
        assertEquals(ProtocolConfig.UpstreamProtocol.H2C, c.protocols().route("a").protocol());
        assertEquals(new ProtocolConfig.RouteTransport(ProtocolConfig.UpstreamProtocol.H2, true), c.protocols().route("b"));
        rejects("routes.a.protocol", "routes", "a", "routes.a.targets", "http://x", "routes.a.protocol", "h3");
        rejects("routes.a.protocol", "routes", "a", "routes.a.targets", "https://x", "routes.a.protocol", "h2c");
        rejects("routes.a.protocol", "routes", "a", "routes.a.targets", "http://x", "routes.a.protocol", "h2");
        rejects("routes.a.tls.insecure", "routes", "a", "routes.a.targets", "https://x", "routes.a.tls.insecure", "yes");
    }

    @Test
    void tlsNeedsExactlyOneSourceOfKeyMaterial() throws Exception
    {
        Path p12 = Files.writeString(dir.resolve("k.p12"), "x");
        Path pem = Files.writeString(dir.resolve("c.pem"), "x");
        rejects("tls.enabled", "tls.enabled", "true");
        rejects("tls.enabled", "tls.enabled", "true", "tls.keystore", p12.toString(), "tls.self-signed", "true");
        rejects("tls.private-key", "tls.enabled", "true", "tls.certificate", pem.toString());
        rejects("tls.keystore", "tls.enabled", "true", "tls.keystore", dir.resolve("missing.p12").toString());
        assertTrue(load("tls.enabled", "true", "tls.self-signed", "true").protocols().tls().selfSigned());
        assertTrue(load("tls.enabled", "true", "tls.certificate", pem.toString(), "tls.private-key", pem.toString()).protocols().tls().enabled());
    }

    @Test
    void validatesTlsProtocolsAndCiphers()
    {
        rejects("tls.protocols", "tls.protocols", "SSLv3");
        rejects("tls.protocols", "tls.protocols", "");
        rejects("tls.cipher-suites", "tls.cipher-suites", "ECDHE-RSA-AES128-GCM-SHA256");
        assertEquals(List.of("TLS_AES_128_GCM_SHA256"), load("tls.cipher-suites", "TLS_AES_128_GCM_SHA256").protocols().tls().cipherSuites());
    }

    @Test
    void upstreamTrustAndClientCertificateAlternatives() throws Exception
    {
        Path f = Files.writeString(dir.resolve("f.pem"), "x");
        rejects("upstream.tls.ca-file", "upstream.tls.ca-file", dir.resolve("nope.pem").toString());
        rejects("upstream.tls.ca-file", "upstream.tls.ca-file", f.toString(), "upstream.tls.trust-store", f.toString());
        rejects("upstream.tls.client-private-key", "upstream.tls.client-certificate", f.toString());
        rejects("upstream.tls.client-keystore", "upstream.tls.client-keystore", f.toString(), "upstream.tls.client-certificate", f.toString(),
            "upstream.tls.client-private-key", f.toString());
    }

    @Test
    void passwordsStayOutOfToString() throws Exception
    {
        Path f = Files.writeString(dir.resolve("k.p12"), "x");
        GatehouseConfig c = load("tls.keystore", f.toString(), "tls.keystore-password", "s3cret-pw", "upstream.tls.trust-store-password", "other-pw");
        assertFalse(c.protocols().toString().contains("s3cret-pw"));
        assertFalse(c.protocols().toString().contains("other-pw"));
    }
}
