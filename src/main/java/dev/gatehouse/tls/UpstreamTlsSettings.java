package dev.gatehouse.tls;

import dev.gatehouse.config.ConfigKeys;
import dev.gatehouse.config.ProtocolConfig;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS towards upstreams: certificates and host names verified by default (against the JVM's
 * trust store, {@code upstream.tls.trust-store} or {@code upstream.tls.ca-file}); a client
 * certificate for mTLS when configured; verification off only for routes that say
 * {@code tls.insecure=true}.
 */
public final class UpstreamTlsSettings
{
    private UpstreamTlsSettings()
    {
    }

    public static void apply(SslContextFactory.Client ssl, ProtocolConfig.UpstreamTls config, boolean insecure)
    {
        if (insecure)
        {
            ssl.setTrustAll(true);
            ssl.setEndpointIdentificationAlgorithm(null);
        }
        else
        {
            ssl.setTrustAll(false);
            ssl.setEndpointIdentificationAlgorithm("HTTPS");
            if (config.trustStore() != null)
                ssl.setTrustStore(KeyMaterial.pkcs12(ConfigKeys.UPSTREAM_TLS_TRUST_STORE.name(), config.trustStore(),
                    ConfigKeys.UPSTREAM_TLS_TRUST_STORE_PASSWORD.name(), config.trustStorePassword()));
            else if (config.caFile() != null)
                ssl.setTrustStore(KeyMaterial.trustedPem(ConfigKeys.UPSTREAM_TLS_CA_FILE.name(), config.caFile()));
        }
        if (config.clientKeystore() != null)
        {
            ssl.setKeyStore(KeyMaterial.pkcs12(ConfigKeys.UPSTREAM_TLS_CLIENT_KEYSTORE.name(), config.clientKeystore(),
                ConfigKeys.UPSTREAM_TLS_CLIENT_KEYSTORE_PASSWORD.name(), config.clientKeystorePassword()));
            ssl.setKeyStorePassword(config.clientKeystorePassword());
            ssl.setKeyManagerPassword(config.clientKeystorePassword());
        }
        else if (config.clientCertificate() != null)
        {
            ssl.setKeyStore(KeyMaterial.pem(ConfigKeys.UPSTREAM_TLS_CLIENT_CERTIFICATE.name(), config.clientCertificate(),
                ConfigKeys.UPSTREAM_TLS_CLIENT_PRIVATE_KEY.name(), config.clientPrivateKey()));
            ssl.setKeyStorePassword(KeyMaterial.MEMORY_PASSWORD);
            ssl.setKeyManagerPassword(KeyMaterial.MEMORY_PASSWORD);
        }
    }
}
