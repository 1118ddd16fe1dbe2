package dev.gatehouse.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads {@code compression.*}, {@code http2.*}, {@code tls.*}, {@code upstream.tls.*} and the per-route protocol keys. */
final class ProtocolConfigs
{
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/(\\*|[A-Za-z0-9!#$&^_.+-]*\\*?[A-Za-z0-9!#$&^_.+-]*)");
    private static final Pattern TLS_PROTOCOL = Pattern.compile("TLSv1(\\.[0-3])?");
    private static final Pattern CIPHER = Pattern.compile("[A-Z0-9_]+");

    private ProtocolConfigs()
    {
    }

    static ProtocolConfig from(Map<String, String> values, List<RouteConfig> routes, String proxyHost)
    {
        return new ProtocolConfig(compression(values), http2(values), tls(values, proxyHost), upstreamTls(values),
            routeTransports(values, routes));
    }

    private static ProtocolConfig.Compression compression(Map<String, String> values)
    {
        long minSize = ConfigKeys.COMPRESSION_MIN_SIZE.read(values);
        List<String> types = ConfigLoader.splitList(ConfigKeys.COMPRESSION_TYPES.read(values));
        for (String type : types)
        {
            if (!MEDIA_TYPE.matcher(type).matches())
                throw ConfigException.invalid(ConfigKeys.COMPRESSION_TYPES.name(), "must list media types such as text/* or application/json", type);
        }
        return new ProtocolConfig.Compression(ConfigKeys.COMPRESSION_ENABLED.read(values), minSize,
            types.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList(),
            ConfigKeys.COMPRESSION_GZIP_LEVEL.read(values),
            ConfigKeys.COMPRESSION_BROTLI_QUALITY.read(values));
    }

    private static ProtocolConfig.Http2 http2(Map<String, String> values)
    {
        return new ProtocolConfig.Http2(ConfigKeys.HTTP2_ENABLED.read(values),
            ConfigKeys.HTTP2_MAX_CONCURRENT_STREAMS.read(values),
            ConfigKeys.HTTP2_MAX_EVENTS_PER_SECOND.read(values));
    }

    private static ProtocolConfig.Tls tls(Map<String, String> values, String proxyHost)
    {
        boolean enabled = ConfigKeys.TLS_ENABLED.read(values);
        boolean selfSigned = ConfigKeys.TLS_SELF_SIGNED.read(values);
        String host = ConfigKeys.TLS_HOST.read(values);
        if (host.isEmpty())
            host = proxyHost;
        else if (!host.matches("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+]|[0-9A-Fa-f:]+"))
            throw ConfigException.invalid(ConfigKeys.TLS_HOST, "must be a host name or IP address", host);
        Path keystore = ConfigKeys.TLS_KEYSTORE.read(values);
        Path certificate = ConfigKeys.TLS_CERTIFICATE.read(values);
        Path privateKey = ConfigKeys.TLS_PRIVATE_KEY.read(values);
        List<String> protocols = ConfigKeys.TLS_PROTOCOLS.read(values);
        if (protocols.isEmpty())
            throw ConfigException.invalid(ConfigKeys.TLS_PROTOCOLS.name(), "must list at least one protocol", values.get(ConfigKeys.TLS_PROTOCOLS.name()));
        for (String p : protocols)
        {
            if (!TLS_PROTOCOL.matcher(p).matches())
                throw ConfigException.invalid(ConfigKeys.TLS_PROTOCOLS, "must list TLSv1.3, TLSv1.2 (or older TLSv1.x)", p);
        }
        List<String> ciphers = ConfigKeys.TLS_CIPHER_SUITES.read(values);
        for (String c : ciphers)
        {
            if (!CIPHER.matcher(c).matches())
                throw ConfigException.invalid(ConfigKeys.TLS_CIPHER_SUITES, "must list JSSE cipher suite names", c);
        }
        Duration reload = ConfigKeys.TLS_RELOAD_INTERVAL.read(values);
        int port = ConfigKeys.TLS_PORT.read(values);
        if (enabled)
        {
            int sources = (keystore != null ? 1 : 0) + (certificate != null || privateKey != null ? 1 : 0) + (selfSigned ? 1 : 0);
            if (sources == 0)
                throw new ConfigException(ConfigKeys.TLS_ENABLED, "tls.enabled=true needs tls.keystore, or tls.certificate and "
                    + "tls.private-key, or tls.self-signed=true (--tls-self-signed)");
            if (sources > 1)
                throw new ConfigException(ConfigKeys.TLS_ENABLED, "tls.keystore, tls.certificate/tls.private-key and tls.self-signed "
                    + "are alternatives: set only one");
            if ((certificate == null) != (privateKey == null))
                throw new ConfigException(certificate == null ? ConfigKeys.TLS_CERTIFICATE : ConfigKeys.TLS_PRIVATE_KEY,
                    "tls.certificate and tls.private-key go together: set both");
            readable(values, ConfigKeys.TLS_KEYSTORE);
            readable(values, ConfigKeys.TLS_CERTIFICATE);
            readable(values, ConfigKeys.TLS_PRIVATE_KEY);
        }
        return new ProtocolConfig.Tls(enabled, host, port, keystore, ConfigKeys.TLS_KEYSTORE_PASSWORD.read(values), certificate,
            privateKey, protocols, ciphers, selfSigned, reload);
    }

    private static ProtocolConfig.UpstreamTls upstreamTls(Map<String, String> values)
    {
        Path trustStore = readable(values, ConfigKeys.UPSTREAM_TLS_TRUST_STORE);
        Path caFile = readable(values, ConfigKeys.UPSTREAM_TLS_CA_FILE);
        if (trustStore != null && caFile != null)
            throw new ConfigException(ConfigKeys.UPSTREAM_TLS_CA_FILE, "upstream.tls.trust-store and upstream.tls.ca-file are alternatives: set only one");
        Path clientKeystore = readable(values, ConfigKeys.UPSTREAM_TLS_CLIENT_KEYSTORE);
        Path clientCert = readable(values, ConfigKeys.UPSTREAM_TLS_CLIENT_CERTIFICATE);
        Path clientKey = readable(values, ConfigKeys.UPSTREAM_TLS_CLIENT_PRIVATE_KEY);
        if ((clientCert == null) != (clientKey == null))
            throw new ConfigException(clientCert == null ? ConfigKeys.UPSTREAM_TLS_CLIENT_CERTIFICATE : ConfigKeys.UPSTREAM_TLS_CLIENT_PRIVATE_KEY,
                "upstream.tls.client-certificate and upstream.tls.client-private-key go together: set both");
        if (clientKeystore != null && clientCert != null)
            throw new ConfigException(ConfigKeys.UPSTREAM_TLS_CLIENT_KEYSTORE,
                "upstream.tls.client-keystore and upstream.tls.client-certificate are alternatives: set only one");
        return new ProtocolConfig.UpstreamTls(trustStore, ConfigKeys.UPSTREAM_TLS_TRUST_STORE_PASSWORD.read(values), caFile,
            clientKeystore, ConfigKeys.UPSTREAM_TLS_CLIENT_KEYSTORE_PASSWORD.read(values), clientCert, clientKey);
    }

    private static Map<String, ProtocolConfig.RouteTransport> routeTransports(Map<String, String> values, List<RouteConfig> routes)
    {
        Map<String, ProtocolConfig.RouteTransport> map = new LinkedHashMap<>();
        for (RouteConfig route : routes)
        {
            String p = "routes." + route.name() + ".";
            String protocolKey = p + ConfigKeys.ROUTE_PROTOCOL.name();
            ProtocolConfig.UpstreamProtocol protocol = ConfigKeys.ROUTE_PROTOCOL.read(values, p);
            boolean insecure = ConfigKeys.ROUTE_TLS_INSECURE.read(values, p);
            for (URI target : route.targets())
            {
                boolean https = "https".equals(target.getScheme());
                if (protocol == ProtocolConfig.UpstreamProtocol.H2C && https)
                    throw ConfigException.invalid(protocolKey, "h2c needs http:// targets (h2 is HTTP/2 over TLS)", target.toString());
                if (protocol == ProtocolConfig.UpstreamProtocol.H2 && !https)
                    throw ConfigException.invalid(protocolKey, "h2 needs https:// targets (h2c is HTTP/2 without TLS)", target.toString());
            }
            if (protocol != ProtocolConfig.UpstreamProtocol.HTTP_1_1 || insecure)
                map.put(route.name(), new ProtocolConfig.RouteTransport(protocol, insecure));
        }
        return map;
    }

    /** A file key's path, which must be readable where set. */
    private static Path readable(Map<String, String> values, Key<Path> key)
    {
        Path path = key.read(values);
        if (path != null && !Files.isReadable(path))
            throw ConfigException.invalid(key.name(), "must name a readable file", values.get(key.name()));
        return path;
    }
}
