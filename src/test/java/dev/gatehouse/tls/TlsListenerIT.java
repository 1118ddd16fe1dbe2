package dev.gatehouse.tls;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.support.Certificates;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTPS listener: PKCS12 and PEM key material, protocols, h2 by ALPN, hot certificate rotation. */
class TlsListenerIT
{
    @TempDir
    static Path dir;
    static Certificates certs;
    static Origin origin;

    @BeforeAll
    static void start() throws Exception
    {
        certs = new Certificates(dir);
        certs.issue("server", "gatehouse-one", "dns:localhost,ip:127.0.0.1");
        certs.pem("server");
        certs.issue("rotated", "gatehouse-two", "dns:localhost,ip:127.0.0.1");
        certs.pem("rotated");
        origin = new Origin("tls-origin");
    }

    @AfterAll
    static void stop() throws Exception
    {
        origin.close();
    }

    private static Gatehouse start(String... extra) throws Exception
    {
        String[] base = {"routes", "app", "routes.app.targets", origin.url(), "tls.enabled", "true", "tls.port", "0"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return Gatehouse.start(all);
    }

    private static HttpResponse<String> get(Gatehouse proxy, HttpClient.Version version) throws Exception
    {
        HttpClient client = HttpClient.newBuilder().sslContext(certs.clientContext()).version(version)
            .connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + proxy.tlsPort() + "/echo")).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** The certificate the listener presents to a fresh client (no session resumption), and the protocol. */
    private static SSLSocket handshake(int port, String... protocols) throws Exception
    {
        SSLContext ctx = certs.clientContext();
        SSLSocket socket = (SSLSocket)ctx.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        if (protocols.length > 0)
            socket.setEnabledProtocols(protocols);
        SSLParameters params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(params);
        socket.startHandshake();
        return socket;
    }

    private static String presentedCn(int port) throws Exception
    {
        try (SSLSocket socket = handshake(port))
        {
            Certificate[] chain = socket.getSession().getPeerCertificates();
            return Certificates.cn(chain[0]);
        }
    }

    @Test
    void servesHttpsFromAPkcs12Keystore() throws Exception
    {
        try (Gatehouse proxy = start("tls.keystore", dir.resolve("server.p12").toString(), "tls.keystore-password", Certificates.PASSWORD))
        {
            HttpResponse<String> r = get(proxy, HttpClient.Version.HTTP_1_1);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("https", Http.echoed(r.body(), "x-forwarded-proto"));
            assertTrue(r.headers().firstValue("Strict-Transport-Security").isPresent(), "HSTS over HTTPS");
            assertEquals("gatehouse-one", presentedCn(proxy.tlsPort()));
            assertEquals(200, Http.get(Http.direct(), proxy.url() + "/echo").statusCode(), "the plain listener stays");
        }
    }

    @Test
    void servesHttpsFromPemFilesAndNegotiatesH2ByAlpn() throws Exception
    {
        try (Gatehouse proxy = start("tls.certificate", dir.resolve("server-chain.pem").toString(),
            "tls.private-key", dir.resolve("server-key.pem").toString()))
        {
            HttpResponse<String> r = get(proxy, HttpClient.Version.HTTP_2);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            assertEquals("gatehouse-one", presentedCn(proxy.tlsPort()));
        }
    }

    @Test
    void offersOnlyTls13And12ByDefault() throws Exception
    {
        try (Gatehouse proxy = start("tls.keystore", dir.resolve("server.p12").toString(), "tls.keystore-password", Certificates.PASSWORD))
        {
            try (SSLSocket s = handshake(proxy.tlsPort()))
            {
                assertEquals("TLSv1.3", s.getSession().getProtocol());
            }
            try (SSLSocket s = handshake(proxy.tlsPort(), "TLSv1.2"))
            {
                assertEquals("TLSv1.2", s.getSession().getProtocol());
                assertTrue(s.getSession().getCipherSuite().matches("TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_\\d+_GCM_SHA\\d+|CHACHA20_POLY1305_SHA256)"),
                    s.getSession().getCipherSuite());
            }
        }
    }

    @Test
    void refusesTls11() throws Exception
    {
        // The JDK client will not even try TLS 1.1, so the ClientHellos are written by hand: the
        // same hello offering TLS 1.2 gets a ServerHello, offering at most TLS 1.1 an alert.
        try (Gatehouse proxy = start("tls.keystore", dir.resolve("server.p12").toString(), "tls.keystore-password", Certificates.PASSWORD))
        {
            assertEquals(0x16, firstRecord(proxy.tlsPort(), 0x03)[0], "TLS 1.2 hello: handshake record (ServerHello)");
            byte[] reply = firstRecord(proxy.tlsPort(), 0x02);
            assertEquals(0x15, reply[0], "TLS 1.1 hello: alert record");
            assertEquals(70, reply[6], "alert: protocol_version");
        }
    }

    /** Sends a minimal ClientHello with client_version 3.minor and returns the first 7 bytes of the reply. */
    private static byte[] firstRecord(int port, int minor) throws Exception
    {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[] {0x03, (byte)minor});
        body.write(new byte[32]);                                     // random
        body.write(0);                                                // session id
        body.write(new byte[] {0x00, 0x04, (byte)0xc0, 0x2b, (byte)0xc0, 0x09}); // ECDHE-ECDSA AES128 GCM / CBC
        body.write(new byte[] {0x01, 0x00});                          // null compression
        byte[] extensions = {
            0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17,           // supported_groups: secp256r1
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,                       // ec_point_formats: uncompressed
            0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03};          // signature_algorithms: ecdsa_secp256r1_sha256
        body.write(new byte[] {0x00, (byte)extensions.length});
        body.write(extensions);
        byte[] hello = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(new byte[] {0x16, 0x03, 0x01, (byte)((hello.length + 4) >> 8), (byte)(hello.length + 4)});
        record.write(new byte[] {0x01, 0x00, (byte)(hello.length >> 8), (byte)hello.length});
        record.write(hello);
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(record.toByteArray());
            return socket.getInputStream().readNBytes(7);
        }
    }

    @Test
    void refusesProtocolsThatAreNotListed() throws Exception
    {
        try (Gatehouse proxy = start("tls.keystore", dir.resolve("server.p12").toString(), "tls.keystore-password", Certificates.PASSWORD,
            "tls.protocols", "TLSv1.2"))
        {
            assertThrows(SSLHandshakeException.class, () -> handshake(proxy.tlsPort(), "TLSv1.3").close());
            try (SSLSocket s = handshake(proxy.tlsPort(), "TLSv1.3", "TLSv1.2"))
            {
                assertEquals("TLSv1.2", s.getSession().getProtocol());
            }
        }
    }

    @Test
    void picksUpARotatedCertificateWithoutRestart() throws Exception
    {
        Path live = Files.createDirectories(dir.resolve("live"));
        Path chain = live.resolve("chain.pem");
        Path key = live.resolve("key.pem");
        Files.copy(dir.resolve("server-chain.pem"), chain, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("server-key.pem"), key, StandardCopyOption.REPLACE_EXISTING);
        try (Gatehouse proxy = start("tls.certificate", chain.toString(), "tls.private-key", key.toString(), "tls.reload-interval", "100ms"))
        {
            assertEquals("gatehouse-one", presentedCn(proxy.tlsPort()));
            Files.copy(dir.resolve("rotated-key.pem"), key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(dir.resolve("rotated-chain.pem"), chain, StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            String cn = presentedCn(proxy.tlsPort());
            while (!cn.equals("gatehouse-two") && System.nanoTime() < deadline)
            {
                Poll.pause();
                cn = presentedCn(proxy.tlsPort());
            }
            assertEquals("gatehouse-two", cn);
            assertEquals(200, get(proxy, HttpClient.Version.HTTP_2).statusCode());
        }
    }

    @Test
    void generatesASelfSignedCertificateOnRequest() throws Exception
    {
        try (Gatehouse proxy = start("tls.self-signed", "true"))
        {
            SSLContext trustAll = Certificates.trustAll();
            try (SSLSocket s = (SSLSocket)trustAll.getSocketFactory().createSocket("127.0.0.1", proxy.tlsPort()))
            {
                s.startHandshake();
                X509Certificate leaf = (X509Certificate)s.getSession().getPeerCertificates()[0];
                assertEquals("localhost", Certificates.cn(leaf));
                assertEquals(leaf.getSubjectX500Principal(), leaf.getIssuerX500Principal(), "self-signed");
            }
            assertThrows(SSLHandshakeException.class, () -> handshake(proxy.tlsPort()).close(), "not trusted by a verifying client");
        }
    }

    @Test
    void failsFastOnAWrongKeystorePassword()
    {
        ConfigException x = assertThrows(ConfigException.class, () -> start("tls.keystore", dir.resolve("server.p12").toString(),
            "tls.keystore-password", "wrong").close());
        assertEquals("tls.keystore-password", x.key());
        assertTrue(x.getMessage().contains("server.p12"), x.getMessage());
    }

    @Test
    void failsFastOnAMissingFileOrAKeyOfAnotherCertificate()
    {
        ConfigException missing = assertThrows(ConfigException.class, () -> start("tls.keystore", dir.resolve("nope.p12").toString()).close());
        assertEquals("tls.keystore", missing.key());
        assertTrue(missing.getMessage().contains("nope.p12"), missing.getMessage());
        ConfigException mismatch = assertThrows(ConfigException.class, () -> start("tls.certificate", dir.resolve("server-chain.pem").toString(),
            "tls.private-key", dir.resolve("rotated-key.pem").toString()).close());
        assertEquals("tls.private-key", mismatch.key());
    }
}
