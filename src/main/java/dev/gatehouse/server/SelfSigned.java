package dev.gatehouse.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigKeys;
import dev.gatehouse.tls.KeyMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway certificate for trials ({@code --tls-self-signed}): an EC P-256 key pair and a
 * self-signed certificate for localhost, 127.0.0.1, ::1 and the listener's host, valid 30 days,
 * made by the JDK's {@code keytool} in a temporary PKCS12 file that is deleted at once. keytool
 * ships with every JDK and JRE image, so no internal JDK API and no extra library are needed.
 */
final class SelfSigned
{
    private static final Logger LOG = LoggerFactory.getLogger(SelfSigned.class);
    static final String PASSWORD = KeyMaterial.MEMORY_PASSWORD;

    private SelfSigned()
    {
    }

    static KeyStore generate(String host)
    {
        Path dir = null;
        try
        {
            dir = Files.createTempDirectory("gatehouse-tls");
            Path file = dir.resolve("self-signed.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            String san = "dns:localhost,ip:127.0.0.1,ip:::1" + (host.matches("[0-9.]+") && !host.equals("0.0.0.0") && !host.equals("127.0.0.1")
                ? ",ip:" + host : host.matches("[A-Za-z0-9.-]+") && !host.equals("localhost") ? ",dns:" + host : "");
            Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "gatehouse", "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost,O=Gatehouse self-signed", "-ext", "SAN=" + san, "-validity", "30",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD))
                .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
                throw new ConfigException(ConfigKeys.TLS_SELF_SIGNED.name(), "tls.self-signed: keytool could not generate a certificate: " + output.trim());
            KeyStore ks = KeyMaterial.pkcs12(ConfigKeys.TLS_SELF_SIGNED.name(), file, ConfigKeys.TLS_SELF_SIGNED.name(), PASSWORD);
            LOG.warn("**************************************************************************************");
            LOG.warn("TLS uses a THROWAWAY SELF-SIGNED certificate (tls.self-signed=true, for trials only):");
            LOG.warn("clients will not trust it; configure tls.keystore or tls.certificate/tls.private-key");
            LOG.warn("**************************************************************************************");
            return ks;
        }
        catch (IOException x)
        {
            throw new ConfigException(ConfigKeys.TLS_SELF_SIGNED.name(), "tls.self-signed: cannot run keytool: " + x.getMessage());
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new ConfigException(ConfigKeys.TLS_SELF_SIGNED.name(), "tls.self-signed: interrupted while generating a certificate");
        }
        finally
        {
            if (dir != null)
            {
                try (var files = Files.list(dir))
                {
                    for (Path f : (Iterable<Path>)files::iterator)
                        Files.deleteIfExists(f);
                    Files.deleteIfExists(dir);
                }
                catch (IOException ignored)
                {
                    // a temp directory left behind holds nothing secret beyond this process's lifetime
                }
            }
        }
    }
}
