package dev.gatehouse.server;

import java.net.URL;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.function.Supplier;

import dev.gatehouse.config.ConfigKeys;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.ProtocolConfig;
import dev.gatehouse.tls.KeyMaterial;
import dev.gatehouse.tls.UpstreamTlsSettings;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.xml.XmlConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds what {@code tls.*} and {@code http2.*} ask of the server built from jetty.xml: the TLS
 * listener (etc/jetty-tls.xml with an SslContextFactory built here), its certificate reloader,
 * and the removal of the HTTP/2 factories when {@code http2.enabled=false}.
 */
final class TlsListener
{
    private static final Logger LOG = LoggerFactory.getLogger(TlsListener.class);
    static final String CONNECTOR = "tls";
    static final String BUNDLED_XML = "/gatehouse/jetty-tls.xml";
    /** TLS 1.3's suites, then TLS 1.2 ECDHE with AEAD ciphers only: forward secrecy, no CBC, no RSA key exchange. */
    static final List<String> DEFAULT_CIPHER_SUITES = List.of(
        "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    private TlsListener()
    {
    }

    /** Fails fast (ConfigException naming the key) on upstream key material that does not load. */
    static void checkUpstream(GatehouseConfig config)
    {
        UpstreamTlsSettings.apply(new SslContextFactory.Client(), config.protocols().upstreamTls(), false);
        config.routes().forEach(route ->
        {
            if (config.protocols().route(route.name()).insecure())
                LOG.warn("route '{}': upstream TLS certificates and host names are NOT verified (routes.{}.{}=true)",
                    route.name(), route.name(), ConfigKeys.ROUTE_TLS_INSECURE.name());
        });
    }

    /** Applies jetty-tls.xml when TLS is on; drops h2c when HTTP/2 is off. */
    static void apply(Server server, XmlConfiguration base, GatehouseConfig config, ResourceFactory resources) throws Exception
    {
        ProtocolConfig.Tls tls = config.protocols().tls();
        boolean http2 = config.protocols().http2().enabled();
        if (!http2)
            removeFactory(server, "proxy", "h2c");
        if (!tls.enabled())
            return;
        Supplier<KeyStore> keys = keySource(tls);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keys.get());
        ssl.setKeyStorePassword(password(tls));
        ssl.setKeyManagerPassword(password(tls));
        ssl.setIncludeProtocols(tls.protocols().toArray(new String[0]));
        ssl.setIncludeCipherSuites((tls.cipherSuites().isEmpty() ? DEFAULT_CIPHER_SUITES : tls.cipherSuites()).toArray(new String[0]));
        ssl.setUseCipherSuitesOrder(true);
        ssl.setRenegotiationAllowed(false);
        URL url = TlsListener.class.getResource(BUNDLED_XML);
        XmlConfiguration xml = new XmlConfiguration(resources.newResource(url));
        xml.getIdMap().putAll(base.getIdMap());
        xml.getIdMap().put("sslContextFactory", ssl);
        xml.getProperties().putAll(base.getProperties());
        xml.getProperties().put("tls.host.effective", tls.host());
        xml.getProperties().put("tls.alpn", http2 ? "h2,http/1.1" : "http/1.1");
        xml.configure(server);
        if (!http2)
            removeFactory(server, CONNECTOR, "h2");
        if (!tls.reloadInterval().isZero() && !tls.selfSigned())
            server.addBean(new CertificateReloader(ssl, keys, watched(tls), tls.reloadInterval()));
    }

    private static Supplier<KeyStore> keySource(ProtocolConfig.Tls tls)
    {
        if (tls.selfSigned())
        {
            KeyStore generated = SelfSigned.generate(tls.host());
            return () -> generated;
        }
        if (tls.keystore() != null)
            return () -> KeyMaterial.pkcs12(ConfigKeys.TLS_KEYSTORE.name(), tls.keystore(), ConfigKeys.TLS_KEYSTORE_PASSWORD.name(), tls.keystorePassword());
        return () -> KeyMaterial.pem(ConfigKeys.TLS_CERTIFICATE.name(), tls.certificate(), ConfigKeys.TLS_PRIVATE_KEY.name(), tls.privateKey());
    }

    private static String password(ProtocolConfig.Tls tls)
    {
        return tls.keystore() != null ? tls.keystorePassword() : tls.selfSigned() ? SelfSigned.PASSWORD : KeyMaterial.MEMORY_PASSWORD;
    }

    private static List<Path> watched(ProtocolConfig.Tls tls)
    {
        return tls.keystore() != null ? List.of(tls.keystore()) : List.of(tls.certificate(), tls.privateKey());
    }

    private static void removeFactory(Server server, String connectorName, String protocol)
    {
        for (Connector c : server.getConnectors())
        {
            if (connectorName.equals(c.getName()) && c instanceof AbstractConnector ac)
                ac.removeConnectionFactory(protocol);
        }
    }
}
