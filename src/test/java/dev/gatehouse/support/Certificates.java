package dev.gatehouse.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Test certificates made with the JDK's keytool in a directory: one CA and leaf certificates it
 * signs, as PKCS12 keystores (password {@link #PASSWORD}) and as PEM files.
 */
public final class Certificates
{
    public static final String PASSWORD = "changeit";
    private final Path dir;

    public Certificates(Path dir) throws Exception
    {
        this.dir = dir;
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Gatehouse Test CA",
            "-ext", "bc:c", "-validity", "10", "-storetype", "PKCS12", "-keystore", ca().toString(), "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca().toString(), "-storepass", PASSWORD, "-file", caPem().toString());
    }

    public Path ca()
    {
        return dir.resolve("ca.p12");
    }

    /** The CA certificate as PEM (an upstream.tls.ca-file). */
    public Path caPem()
    {
        return dir.resolve("ca.pem");
    }

    /** A PKCS12 trust store holding the CA certificate. */
    public Path caTrustStore() throws Exception
    {
        Path ts = dir.resolve("ca-trust.p12");
        if (!Files.exists(ts))
            keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem().toString(), "-storetype", "PKCS12",
                "-keystore", ts.toString(), "-storepass", PASSWORD);
        return ts;
    }

    /**
     * A key pair with a certificate signed by the CA, in {@code <name>.p12} (alias {@code name},
     * chain leaf then CA).
     *
     * @param san e.g. {@code dns:localhost,ip:127.0.0.1}
     */
    public Path issue(String name, String cn, String san) throws Exception
    {
        Path p12 = dir.resolve(name + ".p12");
        Files.deleteIfExists(p12);
        Path csr = dir.resolve(name + ".csr");
        Path crt = dir.resolve(name + ".crt");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
            "-validity", "10", "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", PASSWORD);
        keytool("-certreq", "-alias", name, "-keystore", p12.toString(), "-storepass", PASSWORD, "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca().toString(), "-storepass", PASSWORD, "-infile", csr.toString(),
            "-outfile", crt.toString(), "-validity", "10", "-ext", "SAN=" + san);
        keytool("-importcert", "-noprompt", "-trustcacerts", "-alias", "ca", "-file", caPem().toString(), "-keystore", p12.toString(),
            "-storepass", PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", name, "-file", crt.toString(), "-keystore", p12.toString(), "-storepass", PASSWORD);
        keytool("-delete", "-alias", "ca", "-keystore", p12.toString(), "-storepass", PASSWORD);
        return p12;
    }

    /** Writes {@code <name>.p12}'s chain and key as {@code <name>-chain.pem} and {@code <name>-key.pem} (PKCS#8); returns {chain, key}. */
    public Path[] pem(String name) throws Exception
    {
        KeyStore ks = load(dir.resolve(name + ".p12"));
        PrivateKey key = (PrivateKey)ks.getKey(name, PASSWORD.toCharArray());
        StringBuilder chain = new StringBuilder();
        for (Certificate c : ks.getCertificateChain(name))
            chain.append(pem("CERTIFICATE", c.getEncoded()));
        Path chainFile = dir.resolve(name + "-chain.pem");
        Path keyFile = dir.resolve(name + "-key.pem");
        Files.writeString(chainFile, chain);
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new Path[] {chainFile, keyFile};
    }

    public static String pem(String type, byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
            + "\n-----END " + type + "-----\n";
    }

    public static KeyStore load(Path p12) throws Exception
    {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12))
        {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    /** A client SSLContext trusting only the test CA. */
    public SSLContext clientContext() throws Exception
    {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", load(ca()).getCertificate("ca"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** The subject CN of a certificate. */
    public static String cn(Certificate certificate)
    {
        String dn = ((X509Certificate)certificate).getSubjectX500Principal().getName();
        for (String part : dn.split(","))
        {
            if (part.startsWith("CN="))
                return part.substring(3);
        }
        return dn;
    }

    private static void keytool(String... args) throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
    }

    /** A client TLS context that trusts any certificate: for throwaway self-signed certificates in tests only. */
    public static SSLContext trustAll() throws GeneralSecurityException
    {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager()
        {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType)
            {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType)
            {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers()
            {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }
}
