package dev.gatehouse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Wire-level settings: response compression, HTTP/2 limits, the TLS listener and TLS towards
 * upstreams, plus each route's upstream protocol. Passwords never appear in {@code toString}.
 *
 * @param routes per route name; routes without protocol keys use {@link RouteTransport#DEFAULT}
 */
public record ProtocolConfig(Compression compression, Http2 http2, Tls tls, UpstreamTls upstreamTls,
                             Map<String, RouteTransport> routes)
{
    public ProtocolConfig
    {
        routes = Map.copyOf(routes);
    }

    public RouteTransport route(String name)
    {
        return routes.getOrDefault(name, RouteTransport.DEFAULT);
    }

    /** {@code compression.*}. */
    public record Compression(boolean enabled, long minSize, List<String> types, int gzipLevel, int brotliQuality)
    {
        public Compression
        {
            types = List.copyOf(types);
        }
    }

    /** {@code http2.*}. */
    public record Http2(boolean enabled, int maxConcurrentStreams, int maxEventsPerSecond)
    {
    }

    /**
     * {@code tls.*}: the TLS listener. Key material comes from a PKCS12 keystore, from PEM files,
     * or is generated ({@code selfSigned}).
     */
    public record Tls(boolean enabled, String host, int port, Path keystore, String keystorePassword, Path certificate,
                      Path privateKey, List<String> protocols, List<String> cipherSuites, boolean selfSigned, Duration reloadInterval)
    {
        public Tls
        {
            protocols = List.copyOf(protocols);
            cipherSuites = List.copyOf(cipherSuites);
        }

        @Override
        public String toString()
        {
            return "Tls[enabled=" + enabled + ", host=" + host + ", port=" + port + ", keystore=" + keystore
                + ", certificate=" + certificate + ", privateKey=" + privateKey + ", protocols=" + protocols
                + ", selfSigned=" + selfSigned + "]";
        }
    }

    /** {@code upstream.tls.*}: whom the proxy trusts upstream, and the client certificate it may present. */
    public record UpstreamTls(Path trustStore, String trustStorePassword, Path caFile, Path clientKeystore,
                              String clientKeystorePassword, Path clientCertificate, Path clientPrivateKey)
    {
        @Override
        public String toString()
        {
            return "UpstreamTls[trustStore=" + trustStore + ", caFile=" + caFile + ", clientKeystore=" + clientKeystore
                + ", clientCertificate=" + clientCertificate + "]";
        }
    }

    /** The upstream protocol of a route and whether it skips certificate verification. */
    public record RouteTransport(UpstreamProtocol protocol, boolean insecure)
    {
        public static final RouteTransport DEFAULT = new RouteTransport(UpstreamProtocol.HTTP_1_1, false);
    }

    /** {@code routes.<name>.protocol}. */
    public enum UpstreamProtocol
    {
        HTTP_1_1("http/1.1"), H2C("h2c"), H2("h2");

        private final String value;

        UpstreamProtocol(String value)
        {
            this.value = value;
        }

        public String value()
        {
            return value;
        }

        static UpstreamProtocol of(String key, String value)
        {
            for (UpstreamProtocol p : values())
            {
                if (p.value.equalsIgnoreCase(value.trim()))
                    return p;
            }
            throw ConfigException.invalid(key, "must be http/1.1, h2c or h2", value);
        }
    }
}
