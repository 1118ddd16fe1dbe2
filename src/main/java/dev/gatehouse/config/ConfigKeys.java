package dev.gatehouse.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every configuration key Gatehouse knows, each declared once with its type, default and checks.
 * The declarations feed the defaults ({@link #defaults()}), the environment names, the "did you
 * mean" hints, the readers in this package and the tests that hold etc/gatehouse.properties and
 * docs/configuration.md to the code. The loader rejects any key that is neither declared here nor
 * a well-formed per-route or per-command key.
 *
 * <p>Global keys are registered in documentation order by {@code global(...)}, per-route keys
 * ({@code routes.<name>.<suffix>}) by {@code route(...)}, per-command keys
 * ({@code cli.commands.<name>.<suffix>}) by {@code command(...)}. To add a key: declare it here,
 * add the record component, read it in the record's reader, and list it in etc/gatehouse.properties
 * and docs/configuration.md (both checked by tests).</p>
 */
public final class ConfigKeys
{
    private static final List<Key<?>> GLOBAL = new ArrayList<>();
    private static final List<Key<?>> ROUTE = new ArrayList<>();
    private static final List<Key<?>> COMMAND = new ArrayList<>();

    private static final Function<String, String> LOWER = s -> s.trim().toLowerCase(Locale.ROOT);

    // ---- listeners, routes, timeouts, server -------------------------------------------------------
    public static final Key<String> PROXY_HOST = global(Key.string("proxy.host", "127.0.0.1").check(ConfigKeys::isHost,
        "must be a host name or IP address").restart());
    public static final Key<Integer> PROXY_PORT = global(Key.integer("proxy.port", 8080).range(0, 65535).restart());
    /** Empty: a random id chosen once per process (see {@link ConfigLoader}). */
    public static final Key<String> PROXY_ID = global(Key.string("proxy.id", "").restart());
    public static final Key<String> ADMIN_HOST = global(Key.string("admin.host", "127.0.0.1").check(ConfigKeys::isHost,
        "must be a host name or IP address").restart());
    public static final Key<Integer> ADMIN_PORT = global(Key.integer("admin.port", 9090).range(0, 65535).restart());
    public static final Key<String> ADMIN_PATH_PREFIX = global(Key.string("admin.path-prefix", "/_gatehouse/")
        .check(ConfigKeys::isPathPrefix, "must be a path like /_gatehouse/ (starting and ending with /)").restart());
    public static final Key<Boolean> FORWARD_ENABLED = global(Key.bool("forward.enabled", true));
    public static final Key<Boolean> CONNECT_ENABLED = global(Key.bool("connect.enabled", true));
    public static final Key<Set<Integer>> CONNECT_ALLOWED_PORTS = global(Key.of("connect.allowed-ports", "443", ConfigKeys::ports));
    public static final Key<List<String>> ROUTES = global(Key.list("routes", ""));
    public static final Key<Duration> TIMEOUTS_CONNECT = global(Key.duration("timeouts.connect", "5s").positive().restart());
    public static final Key<Duration> TIMEOUTS_IDLE = global(Key.duration("timeouts.idle", "30s").positive().restart());
    /** None: a whole-exchange cap would cut every long download and stream; silence is bounded by timeouts.idle. */
    public static final Key<Duration> TIMEOUTS_REQUEST = global(Key.duration("timeouts.request", "0s"));
    public static final Key<Duration> SHUTDOWN_GRACE = global(Key.duration("shutdown.grace", "30s"));
    public static final Key<Integer> SERVER_MAX_THREADS = global(Key.integer("server.max-threads", 200).range(8, 100_000).restart());
    public static final Key<Integer> SERVER_MIN_THREADS = global(Key.integer("server.min-threads", 8).range(1, 100_000).restart());
    /**
     * Jetty's proxy servlet allows 256 connections per destination; a reverse proxy in front of one
     * busy backend needs more than that before it starts queueing. 2048 keeps a bound (a runaway
     * client cannot open unlimited sockets to one backend) while staying above what 2 cores can drive.
     */
    public static final Key<Integer> UPSTREAM_MAX_CONNECTIONS = global(Key.integer("upstream.max-connections-per-target", 2048)
        .range(1, 1_000_000).restart());
    public static final Key<Duration> RELOAD_INTERVAL = global(Key.duration("reload.interval", "5s").restart());

    // ---- policy: identity, ACL, admin, rate limits, destinations, limits, headers, auth ----------
    public static final Key<List<String>> TRUST_PROXIES = global(Key.list("trust.proxies", ""));
    /** Forward and CONNECT use: loopback and private ranges, so an accidental public bind is not an open proxy. */
    public static final Key<List<String>> ACL_ALLOW = global(Key.list("acl.allow", "loopback,private"));
    public static final Key<List<String>> ACL_DENY = global(Key.list("acl.deny", ""));
    public static final Key<List<String>> ADMIN_ACL_ALLOW = global(Key.list("admin.acl.allow", "loopback"));
    public static final Key<String> ADMIN_TOKEN = global(Key.string("admin.token", ""));
    /** Serves the CPU profiler at /admin/pprof (behind admin.token, bounded duration); off by default. */
    public static final Key<Boolean> ADMIN_PROFILING = global(Key.bool("admin.profiling", false).restart());
    public static final Key<Double> RATELIMIT_RPS = global(Key.rate("ratelimit.requests-per-second", "0"));
    public static final Key<Long> RATELIMIT_BURST = global(Key.longInteger("ratelimit.burst", 0).range(0, 1_000_000_000));
    public static final Key<Integer> RATELIMIT_MAX_CLIENTS = global(Key.integer("ratelimit.max-clients", 100_000)
        .range(100, 100_000_000).restart());
    public static final Key<String> RATELIMIT_KEY = global(Key.string("ratelimit.key", "client-ip"));
    public static final Key<Path> RATELIMIT_KEYS_FILE = global(path("ratelimit.keys-file"));
    /** Where the buckets live: {@code local} (this process) or {@code redis} (shared by every instance). */
    public static final Key<String> RATELIMIT_BACKEND = global(Key.choice("ratelimit.backend", "local", LOWER,
        "must be local or redis", "local", "redis").restart());
    public static final Key<URI> RATELIMIT_REDIS_URI = global(Key.of("ratelimit.redis.uri", "redis://127.0.0.1:6379", RedisUris::parse)
        .restart());
    public static final Key<String> RATELIMIT_REDIS_ON_FAILURE = global(Key.choice("ratelimit.redis.on-failure", "open", LOWER,
        "must be open or closed", "open", "closed").restart());
    public static final Key<Duration> RATELIMIT_REDIS_TIMEOUT = global(Key.duration("ratelimit.redis.timeout", "250ms").positive().restart());
    public static final Key<String> RATELIMIT_REDIS_KEY_PREFIX = global(Key.string("ratelimit.redis.key-prefix", "gatehouse:ratelimit:")
        .restart());
    public static final Key<String> FILTER_MODE = global(Key.choice("filter.mode", "blocklist", s -> s.toLowerCase(Locale.ROOT),
        "must be blocklist, allowlist or mixed", "blocklist", "allowlist", "mixed"));
    public static final Key<List<String>> FILTER_BLOCKED = global(Key.list("filter.blocked", ""));
    public static final Key<List<String>> FILTER_ALLOWED = global(Key.list("filter.allowed", ""));
    public static final Key<Path> FILTER_BLOCKED_FILE = global(path("filter.blocked-file"));
    public static final Key<Path> FILTER_ALLOWED_FILE = global(path("filter.allowed-file"));
    public static final Key<String> FILTER_MESSAGE = global(Key.string("filter.message", "Access to this destination is blocked by policy"));
    public static final Key<Boolean> FILTER_REVERSE_HOST = global(Key.bool("filter.reverse-host", false));
    public static final Key<List<String>> FILTER_BLOCKED_CONTENT_TYPES = global(Key.list("filter.blocked-content-types", ""));
    public static final Key<Boolean> SSRF_ENABLED = global(Key.bool("ssrf.enabled", true));
    public static final Key<List<String>> SSRF_ALLOW = global(Key.list("ssrf.allow", ""));
    public static final Key<Integer> LIMITS_MAX_URL_LENGTH = global(Key.integer("limits.max-url-length", 8192).range(64, 1 << 20));
    public static final Key<Long> LIMITS_MAX_HEADER_SIZE = global(Key.size("limits.max-header-size", "16KB")
        .check(n -> n >= 1024 && n <= 1 << 20, "must be between 1024 and " + (1 << 20) + " bytes"));
    public static final Key<Integer> LIMITS_MAX_HEADERS = global(Key.integer("limits.max-headers", 100).range(1, 10_000));
    public static final Key<Long> LIMITS_MAX_BODY_SIZE = global(Key.size("limits.max-body-size", "10MB"));
    public static final Key<String> LIMITS_ALLOWED_METHODS = global(Key.string("limits.allowed-methods", "GET,HEAD,POST,PUT,DELETE,OPTIONS,PATCH"));
    public static final Key<String> HEADERS_HSTS = global(Key.string("headers.hsts", "max-age=31536000; includeSubDomains"));
    public static final Key<String> HEADERS_CONTENT_TYPE_OPTIONS = global(Key.string("headers.content-type-options", "nosniff"));
    public static final Key<String> HEADERS_FRAME_OPTIONS = global(Key.string("headers.frame-options", "DENY"));
    public static final Key<String> HEADERS_CSP = global(Key.string("headers.content-security-policy", ""));
    public static final Key<String> HEADERS_REFERRER_POLICY = global(Key.string("headers.referrer-policy", "strict-origin-when-cross-origin"));
    public static final Key<Boolean> HEADERS_OVERRIDE = global(Key.bool("headers.override", false));
    public static final Key<List<String>> HEADERS_REMOVE = global(Key.list("headers.remove", "X-Powered-By"));
    public static final Key<Path> AUTH_USERS_FILE = global(path("auth.users-file"));
    public static final Key<String> AUTH_REALM = global(Key.string("auth.realm", "Gatehouse"));

    // ---- logging -----------------------------------------------------------------------------------
    public static final Key<Boolean> LOG_ACCESS_ENABLED = global(Key.bool("log.access.enabled", true));
    public static final Key<String> LOG_LEVEL = global(Key.choice("log.level", "INFO", s -> s.toUpperCase(Locale.ROOT),
        "must be TRACE, DEBUG, INFO, WARN, ERROR or OFF", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").restart());
    public static final Key<String> LOG_FORMAT = global(Key.choice("log.format", "json", s -> s.toLowerCase(Locale.ROOT),
        "must be json or text", "json", "text").restart());
    /** Query parameters that commonly carry credentials; their values never reach the logs. */
    public static final Key<List<String>> LOG_REDACT = global(Key.list("log.redact",
        "access_token,api_key,apikey,key,password,secret,sig,signature,token"));
    public static final Key<Integer> LOG_QUEUE_SIZE = global(Key.integer("log.queue-size", 8192).range(16, 10_000_000).restart());
    public static final Key<Boolean> LOG_NEVER_BLOCK = global(Key.bool("log.never-block", true).restart());
    public static final Key<String> LOG_FILE_PATH = global(Key.string("log.file.path", "").restart());
    public static final Key<Long> LOG_FILE_MAX_SIZE = global(Key.size("log.file.max-size", "100MB").restart());
    public static final Key<Integer> LOG_FILE_MAX_HISTORY = global(Key.integer("log.file.max-history", 7).range(1, 3650).restart());
    public static final Key<Long> LOG_FILE_TOTAL_SIZE_CAP = global(Key.size("log.file.total-size-cap", "2GB").restart());

    // ---- CLI integration (cli.*): see docs/cli.md. Read at start-up; a change needs a restart. ----
    public static final Key<Boolean> CLI_ENABLED = global(Key.bool("cli.enabled", false));
    public static final Key<String> CLI_PATH_PREFIX = global(Key.string("cli.path-prefix", "/cli/")
        .check(ConfigKeys::isPathPrefix, "must be a path like /cli/ (starting and ending with /)"));
    public static final Key<String> CLI_ENV_ALLOWED = global(Key.string("cli.env.allowed", ""));
    /** Empty: {@code java.io.tmpdir}. Checked to exist while the CLI is enabled. */
    public static final Key<String> CLI_WORKING_DIR = global(Key.string("cli.working-dir", ""));
    public static final Key<Integer> CLI_MAX_CONCURRENT = global(Key.integer("cli.max-concurrent", 10).range(1, 10_000));
    public static final Key<Integer> CLI_QUEUE = global(Key.integer("cli.queue", 0).range(0, 100_000));
    public static final Key<Duration> CLI_TIMEOUT = global(Key.duration("cli.timeout", "60s").positive());
    public static final Key<Duration> CLI_KILL_GRACE = global(Key.duration("cli.kill-grace", "5s").positive());
    public static final Key<Long> CLI_MAX_OUTPUT = global(Key.size("cli.max-output", "10MB").positive());
    public static final Key<Long> CLI_MAX_MEMORY = global(Key.size("cli.max-memory-per-process", "128MB"));
    public static final Key<Integer> CLI_MAX_CPU_SECONDS = global(Key.integer("cli.max-cpu-seconds", 0).range(0, 1_000_000));
    public static final Key<String> CLI_TOKEN = global(Key.string("cli.token", ""));
    public static final Key<List<String>> CLI_ACL_ALLOW = global(Key.list("cli.acl.allow", "loopback"));
    /** Masks the value of password=, token=, secret= and key= style arguments in the audit log. */
    public static final Key<String> CLI_REDACT_ARGS = global(Key.string("cli.redact-args", "(?i)(?<=password=|passwd=|token=|secret=|key=).+"));
    public static final Key<Long> CLI_RETAIN_BYTES = global(Key.size("cli.retain-bytes", "1MB").positive());
    public static final Key<Duration> CLI_RETAIN_FOR = global(Key.duration("cli.retain-for", "5m"));
    /** Browser origins ({@code scheme://host[:port]}) whose cross-site requests the CLI accepts; others with an Origin header get 403. */
    public static final Key<String> CLI_ALLOWED_ORIGINS = global(Key.string("cli.allowed-origins", ""));
    /** Host names (besides the listener's own address and loopback names) that requests to the CLI may carry in Host. */
    public static final Key<String> CLI_ALLOWED_HOSTS = global(Key.string("cli.allowed-hosts", ""));

    // ---- compression, HTTP/2 and TLS (read by ProtocolConfigs into ProtocolConfig) -----------------
    /**
     * On: only responses that are not compressed yet, of a compressible type and at least
     * {@code compression.min-size}, to clients that ask for it; 80-90% fewer bytes for text, paid
     * in CPU (docs/benchmarks.md).
     */
    public static final Key<Boolean> COMPRESSION_ENABLED = global(Key.bool("compression.enabled", true));
    public static final Key<Long> COMPRESSION_MIN_SIZE = global(Key.size("compression.min-size", "1KB"));
    public static final Key<String> COMPRESSION_TYPES = global(Key.string("compression.types",
        "text/*,application/json,application/*+json,application/javascript,application/x-javascript,application/xml,"
        + "application/*+xml,image/svg+xml,application/wasm,application/x-ndjson"));
    /** Speed first: level 5 is 22% smaller than level 1 and three times as fast as level 9 (docs/benchmarks.md). */
    public static final Key<Integer> COMPRESSION_GZIP_LEVEL = global(Key.integer("compression.gzip.level", 5).range(1, 9));
    /** Quality 4: about gzip 5's size and CPU on JSON, smaller on HTML/JS; 11 is for static pre-compression. */
    public static final Key<Integer> COMPRESSION_BROTLI_QUALITY = global(Key.integer("compression.brotli.quality", 4).range(0, 11));
    public static final Key<Boolean> HTTP2_ENABLED = global(Key.bool("http2.enabled", true).restart());
    public static final Key<Integer> HTTP2_MAX_CONCURRENT_STREAMS = global(Key.integer("http2.max-concurrent-streams", 128)
        .range(1, 100_000).restart());
    /** Jetty's WindowRateControl: control frames and resets per second and connection before it is closed. */
    public static final Key<Integer> HTTP2_MAX_EVENTS_PER_SECOND = global(Key.integer("http2.max-events-per-second", 128)
        .range(1, 1_000_000).restart());
    public static final Key<Boolean> TLS_ENABLED = global(Key.bool("tls.enabled", false).restart());
    /** Empty: {@code proxy.host}. */
    public static final Key<String> TLS_HOST = global(Key.string("tls.host", "").restart());
    public static final Key<Integer> TLS_PORT = global(Key.integer("tls.port", 8443).range(0, 65535).restart());
    public static final Key<Path> TLS_KEYSTORE = global(path("tls.keystore").restart());
    public static final Key<String> TLS_KEYSTORE_PASSWORD = global(Key.string("tls.keystore-password", "").restart());
    public static final Key<Path> TLS_CERTIFICATE = global(path("tls.certificate").restart());
    public static final Key<Path> TLS_PRIVATE_KEY = global(path("tls.private-key").restart());
    public static final Key<List<String>> TLS_PROTOCOLS = global(Key.list("tls.protocols", "TLSv1.3,TLSv1.2").restart());
    public static final Key<List<String>> TLS_CIPHER_SUITES = global(Key.list("tls.cipher-suites", "").restart());
    public static final Key<Boolean> TLS_SELF_SIGNED = global(Key.bool("tls.self-signed", false).restart());
    public static final Key<Duration> TLS_RELOAD_INTERVAL = global(Key.duration("tls.reload-interval", "10s").restart());
    public static final Key<Path> UPSTREAM_TLS_TRUST_STORE = global(path("upstream.tls.trust-store").restart());
    public static final Key<String> UPSTREAM_TLS_TRUST_STORE_PASSWORD = global(Key.string("upstream.tls.trust-store-password", "").restart());
    public static final Key<Path> UPSTREAM_TLS_CA_FILE = global(path("upstream.tls.ca-file").restart());
    public static final Key<Path> UPSTREAM_TLS_CLIENT_KEYSTORE = global(path("upstream.tls.client-keystore").restart());
    public static final Key<String> UPSTREAM_TLS_CLIENT_KEYSTORE_PASSWORD = global(Key.string("upstream.tls.client-keystore-password", "")
        .restart());
    public static final Key<Path> UPSTREAM_TLS_CLIENT_CERTIFICATE = global(path("upstream.tls.client-certificate").restart());
    public static final Key<Path> UPSTREAM_TLS_CLIENT_PRIVATE_KEY = global(path("upstream.tls.client-private-key").restart());

    // ---- response cache (RFC 9111 shared cache in memory; see docs/caching.md) ---------------------
    /** Off by default: a proxy that starts caching on upgrade could serve one user's response to another. */
    public static final Key<Boolean> CACHE_ENABLED = global(Key.bool("cache.enabled", false));
    public static final Key<Long> CACHE_MAX_MEMORY = global(Key.size("cache.max-memory", "256MB").check(n -> n >= 1024, "must be at least 1KB"));
    public static final Key<Integer> CACHE_MAX_ENTRIES = global(Key.integer("cache.max-entries", 10_000).range(1, 100_000_000));
    public static final Key<Long> CACHE_MAX_OBJECT_SIZE = global(Key.size("cache.max-object-size", "8MB"));
    /** Off: parameter order can matter to an origin. */
    public static final Key<Boolean> CACHE_SORT_QUERY = global(Key.bool("cache.sort-query", false));
    public static final Key<List<String>> CACHE_INCLUDE = global(globs("cache.include"));
    /** Admin purges broadcast to every instance through Redis pub/sub; empty: this instance only. */
    public static final Key<String> CACHE_BROADCAST_REDIS_URI = global(Key.string("cache.broadcast.redis.uri", ""));
    public static final Key<String> CACHE_BROADCAST_CHANNEL = global(Key.string("cache.broadcast.channel", "gatehouse:cache:purge"));
    public static final Key<List<String>> CACHE_EXCLUDE = global(globs("cache.exclude"));
    public static final Key<Duration> CACHE_COLLAPSE_TIMEOUT = global(Key.duration("cache.collapse-timeout", "5s"));

    // ---- per route: routes.<name>.<suffix> -------------------------------------------------------
    /** Per-route key families ending in a name: {@code routes.<name>.<family><Name>}. */
    public static final String ROUTE_MATCH_HEADER_PREFIX = "match.header.";
    /** {@code routes.<name>.match.query.<param>=<value>}: the first value of a query parameter (case-sensitive name). */
    public static final String ROUTE_MATCH_QUERY_PREFIX = "match.query.";
    public static final String ROUTE_REQUEST_HEADERS_SET = "request-headers.set.";
    public static final String ROUTE_REQUEST_HEADERS_ADD = "request-headers.add.";
    public static final String ROUTE_RESPONSE_HEADERS_SET = "response-headers.set.";
    public static final String ROUTE_RESPONSE_HEADERS_ADD = "response-headers.add.";
    /** Per-route key families ending in a header name: {@code routes.<name>.<family><Header-Name>}. */
    public static final List<String> ROUTE_HEADER_FAMILIES = List.of(ROUTE_MATCH_HEADER_PREFIX,
        ROUTE_REQUEST_HEADERS_SET, ROUTE_REQUEST_HEADERS_ADD, ROUTE_RESPONSE_HEADERS_SET, ROUTE_RESPONSE_HEADERS_ADD);

    public static final Key<String> ROUTE_MATCH_HOST = route(Key.string("match.host", null));
    public static final Key<String> ROUTE_MATCH_PATH = route(Key.string("match.path", null));
    /** Required: checked by the loader with the route's name in the message. */
    public static final Key<List<String>> ROUTE_TARGETS = route(Key.list("targets", null));
    public static final Key<Boolean> ROUTE_STRIP_PREFIX = route(Key.bool("strip-prefix", false));
    public static final Key<Boolean> ROUTE_PRESERVE_HOST = route(Key.bool("preserve-host", false));
    /** Unset: the global limit. */
    public static final Key<Double> ROUTE_RATELIMIT_RPS = route(Key.rate("ratelimit.requests-per-second", null));
    /** Unset: the same as the rate. */
    public static final Key<Long> ROUTE_RATELIMIT_BURST = route(Key.longInteger("ratelimit.burst", 0).range(0, 1_000_000_000).unset());
    public static final Key<String> ROUTE_RATELIMIT_KEY = route(Key.inherits("ratelimit.key", RATELIMIT_KEY));
    public static final Key<List<String>> ROUTE_ACL_ALLOW = route(Key.list("acl.allow", null));
    public static final Key<List<String>> ROUTE_ACL_DENY = route(Key.list("acl.deny", null));
    public static final Key<List<String>> ROUTE_REQUEST_HEADERS_REMOVE = route(Key.list("request-headers.remove", null));
    public static final Key<List<String>> ROUTE_RESPONSE_HEADERS_REMOVE = route(Key.list("response-headers.remove", null));
    /** The security headers, overridable per route: key to header name, in documentation order. */
    public static final Map<Key<String>, String> ROUTE_SECURITY_HEADERS = securityHeaders();
    public static final Key<String> ROUTE_BALANCER = route(Key.choice("balancer", "round-robin", Function.identity(),
        "must be round-robin, weighted, least-requests or ip-hash", "round-robin", "weighted", "least-requests", "ip-hash"));
    public static final Key<Boolean> ROUTE_REQUIRED = route(Key.bool("required", false));
    /** Empty: no active health checks. */
    public static final Key<String> ROUTE_HEALTH_PATH = route(Key.string("health.path", "")
        .check(p -> p.isEmpty() || p.startsWith("/"), "must be a path starting with /"));
    public static final Key<Duration> ROUTE_HEALTH_INTERVAL = route(Key.duration("health.interval", "10s").positive());
    public static final Key<Duration> ROUTE_HEALTH_TIMEOUT = route(Key.duration("health.timeout", "2s").positive());
    public static final Key<Integer> ROUTE_HEALTH_HEALTHY = route(Key.integer("health.healthy-threshold", 2).range(1, 100));
    public static final Key<Integer> ROUTE_HEALTH_UNHEALTHY = route(Key.integer("health.unhealthy-threshold", 3).range(1, 100));
    public static final Key<int[]> ROUTE_HEALTH_EXPECTED = route(Key.of("health.expected-status", "200-399", ConfigKeys::statusRange));
    public static final Key<Boolean> ROUTE_BREAKER_ENABLED = route(Key.bool("breaker.enabled", true));
    public static final Key<Integer> ROUTE_BREAKER_FAILURE_RATE = route(Key.integer("breaker.failure-rate-threshold", 50).range(1, 100));
    public static final Key<Integer> ROUTE_BREAKER_WINDOW = route(Key.integer("breaker.sliding-window", 20).range(1, 100_000));
    public static final Key<Integer> ROUTE_BREAKER_MIN_CALLS = route(Key.integer("breaker.minimum-calls", 10).range(1, 100_000));
    public static final Key<Duration> ROUTE_BREAKER_WAIT = route(Key.duration("breaker.wait-in-open", "30s").positive());
    public static final Key<Integer> ROUTE_BREAKER_HALF_OPEN = route(Key.integer("breaker.half-open-calls", 2).range(1, 1000));
    public static final Key<Duration> ROUTE_BREAKER_SLOW = route(Key.duration("breaker.slow-call-threshold", "0s"));
    /**
     * Gateway failures say the target (or what is behind it) is down or overloaded; a 500 is the
     * application's answer on one path and says nothing about the others.
     */
    public static final Key<BitSet> ROUTE_BREAKER_STATUSES = route(Key.of("breaker.failure-statuses", "502-504", ConfigKeys::statuses));
    /** {@code routes.<name>.panic}: with every target ejected (breakers, health checks), send to all of them anyway. */
    public static final Key<Boolean> ROUTE_PANIC = route(Key.bool("panic", true));
    public static final Key<Integer> ROUTE_RETRY_ATTEMPTS = route(Key.integer("retry.max-attempts", 2).range(1, 10));
    public static final Key<Duration> ROUTE_RETRY_BACKOFF = route(Key.duration("retry.backoff", "25ms"));
    public static final Key<Integer> ROUTE_RETRY_BUDGET = route(Key.integer("retry.budget", 20).range(0, 100));
    public static final Key<Boolean> ROUTE_RETRY_NON_IDEMPOTENT = route(Key.bool("retry.non-idempotent", false));
    public static final Key<Duration> ROUTE_TIMEOUTS_CONNECT = route(Key.inherits("timeouts.connect", TIMEOUTS_CONNECT));
    public static final Key<Duration> ROUTE_TIMEOUTS_IDLE = route(Key.inherits("timeouts.idle", TIMEOUTS_IDLE));
    public static final Key<Duration> ROUTE_TIMEOUTS_REQUEST = route(Key.inherits("timeouts.request", TIMEOUTS_REQUEST));
    public static final Key<Integer> ROUTE_MAX_CONCURRENT = route(Key.integer("max-concurrent", 0).range(0, 1_000_000));
    public static final Key<Duration> ROUTE_MAX_WAIT = route(Key.duration("max-wait", "0s"));
    /** WebSocket proxying per route: {@code routes.<name>.websocket.*}. */
    public static final Key<Boolean> ROUTE_WEBSOCKET_ENABLED = route(Key.bool("websocket.enabled", true));
    public static final Key<Duration> ROUTE_WEBSOCKET_IDLE_TIMEOUT = route(Key.duration("websocket.idle-timeout", "10m").positive());
    public static final Key<Long> ROUTE_WEBSOCKET_MAX_MESSAGE_SIZE = route(Key.size("websocket.max-message-size", "16MB").positive());
    public static final Key<Duration> ROUTE_WEBSOCKET_PING_INTERVAL = route(Key.duration("websocket.ping-interval", "0s"));
    /** Per route: {@code http/1.1} (default), {@code h2c} (prior knowledge) or {@code h2} (TLS, ALPN). */
    public static final Key<ProtocolConfig.UpstreamProtocol> ROUTE_PROTOCOL = route(Key.of("protocol", "http/1.1",
        ProtocolConfig.UpstreamProtocol::of));
    /** Per route: skip upstream certificate and host name verification (logged at start-up). */
    public static final Key<Boolean> ROUTE_TLS_INSECURE = route(Key.bool("tls.insecure", false));
    /** {@code routes.<name>.cache=on|off}: caching for one route (default on while cache.enabled). */
    public static final Key<Boolean> ROUTE_CACHE = route(Key.of("cache", "on", ConfigKeys::onOff));

    // ---- per CLI command: cli.commands.<name>.<suffix> ---------------------------------------------
    public static final String CLI_COMMANDS_PREFIX = "cli.commands.";
    public static final Key<String> CLI_COMMAND_PATH = command(Key.string("path", null));
    public static final Key<String> CLI_COMMAND_ARGS_PATTERN = command(Key.string("args-pattern", null));
    public static final Key<String> CLI_COMMAND_WORKING_DIR = command(Key.inherits("working-dir", CLI_WORKING_DIR));
    public static final Key<Duration> CLI_COMMAND_TIMEOUT = command(Key.inherits("timeout", CLI_TIMEOUT));
    public static final Key<Long> CLI_COMMAND_MAX_OUTPUT = command(Key.inherits("max-output", CLI_MAX_OUTPUT));
    public static final Key<Long> CLI_COMMAND_MAX_MEMORY = command(Key.inherits("max-memory", CLI_MAX_MEMORY));
    public static final Key<Integer> CLI_COMMAND_MAX_CPU_SECONDS = command(Key.inherits("max-cpu-seconds", CLI_MAX_CPU_SECONDS));

    private static final Map<String, String> DEFAULTS;
    /** Per-route keys with a fixed name (suffixes). */
    public static final Set<String> ROUTE_SUFFIXES;
    public static final Set<String> CLI_COMMAND_SUFFIXES;
    private static final List<String> RESTART;

    static
    {
        Map<String, String> d = new LinkedHashMap<>();
        List<String> restart = new ArrayList<>();
        for (Key<?> key : GLOBAL)
        {
            d.put(key.name(), key.defaultText());
            if (key.needsRestart())
                restart.add(key.name());
        }
        DEFAULTS = Collections.unmodifiableMap(d);
        RESTART = List.copyOf(restart);
        ROUTE_SUFFIXES = names(ROUTE);
        CLI_COMMAND_SUFFIXES = names(COMMAND);
    }

    private ConfigKeys()
    {
    }

    private static <T> Key<T> global(Key<T> key)
    {
        GLOBAL.add(key);
        return key;
    }

    private static <T> Key<T> route(Key<T> key)
    {
        ROUTE.add(key);
        return key;
    }

    private static <T> Key<T> command(Key<T> key)
    {
        COMMAND.add(key);
        return key;
    }

    private static Set<String> names(List<Key<?>> keys)
    {
        Set<String> names = new LinkedHashSet<>();
        keys.forEach(k -> names.add(k.name()));
        return Collections.unmodifiableSet(names);
    }

    /** Every global key, in documentation order. */
    public static List<Key<?>> globalKeys()
    {
        return Collections.unmodifiableList(GLOBAL);
    }

    /** Every per-route key ({@code routes.<name>.<suffix>}). */
    public static List<Key<?>> routeKeys()
    {
        return Collections.unmodifiableList(ROUTE);
    }

    /** Every per-command key ({@code cli.commands.<name>.<suffix>}). */
    public static List<Key<?>> commandKeys()
    {
        return Collections.unmodifiableList(COMMAND);
    }

    /** The global keys with their defaults, in documentation order. An empty default means "unset". */
    public static Map<String, String> defaults()
    {
        return DEFAULTS;
    }

    /** The keys read once at start-up: a change takes effect after a restart. */
    public static List<String> restartKeys()
    {
        return RESTART;
    }

    /** True for a global key or a well-formed per-route or per-command key. Route names are checked against {@code routes} later. */
    public static boolean isKnown(String key)
    {
        return DEFAULTS.containsKey(key) || routeSuffix(key) != null || cliCommandName(key) != null;
    }

    /** For {@code cli.commands.<name>.<suffix>} with a known suffix returns the command name, otherwise null. */
    public static String cliCommandName(String key)
    {
        if (!key.startsWith(CLI_COMMANDS_PREFIX))
            return null;
        int dot = key.indexOf('.', CLI_COMMANDS_PREFIX.length());
        if (dot <= CLI_COMMANDS_PREFIX.length() || !CLI_COMMAND_SUFFIXES.contains(key.substring(dot + 1)))
            return null;
        return key.substring(CLI_COMMANDS_PREFIX.length(), dot);
    }

    /** For {@code routes.<name>.<suffix>} returns the suffix if it is a known one, otherwise null. */
    static String routeSuffix(String key)
    {
        if (!key.startsWith("routes."))
            return null;
        int dot = key.indexOf('.', "routes.".length());
        if (dot < 0 || dot == "routes.".length())
            return null;
        String suffix = key.substring(dot + 1);
        if (ROUTE_SUFFIXES.contains(suffix))
            return suffix;
        if (suffix.startsWith(ROUTE_MATCH_QUERY_PREFIX) && suffix.length() > ROUTE_MATCH_QUERY_PREFIX.length())
            return suffix;
        return headerFamily(suffix) != null ? suffix : null;
    }

    /** For a suffix such as {@code request-headers.set.X-Foo} the family {@code request-headers.set.}, else null. */
    static String headerFamily(String suffix)
    {
        for (String family : ROUTE_HEADER_FAMILIES)
        {
            if (suffix.startsWith(family) && suffix.length() > family.length())
                return family;
        }
        return null;
    }

    /** The route name of a per-route key, or null. */
    static String routeName(String key)
    {
        if (routeSuffix(key) == null)
            return null;
        return key.substring("routes.".length(), key.indexOf('.', "routes.".length()));
    }

    // ---- parsers shared by several keys ----------------------------------------------------------

    private static Map<Key<String>, String> securityHeaders()
    {
        Map<Key<String>, String> m = new LinkedHashMap<>();
        m.put(route(Key.inherits(HEADERS_HSTS.name(), HEADERS_HSTS)), "Strict-Transport-Security");
        m.put(route(Key.inherits(HEADERS_CONTENT_TYPE_OPTIONS.name(), HEADERS_CONTENT_TYPE_OPTIONS)), "X-Content-Type-Options");
        m.put(route(Key.inherits(HEADERS_FRAME_OPTIONS.name(), HEADERS_FRAME_OPTIONS)), "X-Frame-Options");
        m.put(route(Key.inherits(HEADERS_CSP.name(), HEADERS_CSP)), "Content-Security-Policy");
        m.put(route(Key.inherits(HEADERS_REFERRER_POLICY.name(), HEADERS_REFERRER_POLICY)), "Referrer-Policy");
        return Collections.unmodifiableMap(m);
    }

    /** An optional file: blank means none. */
    private static Key<Path> path(String name)
    {
        return Key.of(name, "", (key, text) -> text == null || text.isBlank() ? null : Path.of(text.trim()));
    }

    private static Key<List<String>> globs(String name)
    {
        return Key.of(name, "", (key, text) ->
        {
            List<String> globs = ConfigLoader.splitList(text);
            for (String g : globs)
            {
                if (!g.startsWith("/") && !g.startsWith("*"))
                    throw ConfigException.invalid(key, "must list path globs starting with / (such as /static/*)", g);
            }
            return globs;
        });
    }

    static boolean isHost(String v)
    {
        return !v.isEmpty() && !v.startsWith("*") && ConfigLoader.HOST.matcher(v).matches();
    }

    static boolean isPathPrefix(String v)
    {
        return v.startsWith("/") && v.endsWith("/") && v.length() >= 3 && !v.contains("*") && !v.contains("?");
    }

    private static Set<Integer> ports(String key, String text)
    {
        Set<Integer> ports = new LinkedHashSet<>();
        for (String p : ConfigLoader.splitList(text))
        {
            try
            {
                int n = Integer.parseInt(p);
                if (n >= 1 && n <= 65535)
                {
                    ports.add(n);
                    continue;
                }
            }
            catch (NumberFormatException ignored)
            {
                // reported below
            }
            throw ConfigException.invalid(key, "must list ports between 1 and 65535", p);
        }
        return ports;
    }

    /** {@code 200-399} or {@code 503}. */
    static int[] statusRange(String key, String value)
    {
        String v = value.trim();
        try
        {
            int dash = v.indexOf('-');
            int lo = Integer.parseInt(dash < 0 ? v : v.substring(0, dash).trim());
            int hi = dash < 0 ? lo : Integer.parseInt(v.substring(dash + 1).trim());
            if (lo >= 100 && hi <= 599 && lo <= hi)
                return new int[]{lo, hi};
        }
        catch (NumberFormatException ignored)
        {
            // reported below
        }
        throw ConfigException.invalid(key, "must be a status or status range such as 200-399", value);
    }

    /** A comma list of statuses and status ranges. */
    private static BitSet statuses(String key, String text)
    {
        BitSet statuses = new BitSet(600);
        for (String r : ConfigLoader.splitList(text))
        {
            int[] range = statusRange(key, r);
            statuses.set(range[0], range[1] + 1);
        }
        return statuses;
    }

    private static Boolean onOff(String key, String text)
    {
        return switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw ConfigException.invalid(key, "must be on or off", text);
        };
    }
}
