package dev.gatehouse.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the TLS listener's key material when its files change, without a restart: polls the
 * files' content digest, rebuilds the keystore and swaps it with {@link SslContextFactory#reload}.
 * Connections already open keep their session; new handshakes get the new certificate. A change
 * that does not load (a half-written file) is logged and retried at the next poll.
 */
final class CertificateReloader extends AbstractLifeCycle
{
    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

    private final SslContextFactory.Server ssl;
    private final Supplier<KeyStore> keys;
    private final List<Path> files;
    private final Duration interval;
    private ScheduledExecutorService scheduler;
    private byte[] loaded;
    private byte[] failed;

    CertificateReloader(SslContextFactory.Server ssl, Supplier<KeyStore> keys, List<Path> files, Duration interval)
    {
        this.ssl = ssl;
        this.keys = keys;
        this.files = List.copyOf(files);
        this.interval = interval;
    }

    @Override
    protected void doStart()
    {
        loaded = digest();
        scheduler = Executors.newSingleThreadScheduledExecutor(r ->
        {
            Thread t = new Thread(r, "gatehouse-tls-reload");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop()
    {
        scheduler.shutdownNow();
    }

    private void check()
    {
        byte[] now = digest();
        if (now == null || Arrays.equals(now, loaded) || Arrays.equals(now, failed))
            return;
        try
        {
            KeyStore ks = keys.get();
            ssl.reload(f -> f.setKeyStore(ks));
            loaded = now;
            LOG.info("TLS key material reloaded from {}", files);
        }
        catch (Exception x)
        {
            failed = now;
            LOG.warn("TLS key material in {} changed but does not load; keeping the current certificate: {}", files, x.getMessage());
        }
    }

    private byte[] digest()
    {
        try
        {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path f : files)
                sha.update(Files.readAllBytes(f));
            return sha.digest();
        }
        catch (IOException | NoSuchAlgorithmException x)
        {
            return null;
        }
    }
}
