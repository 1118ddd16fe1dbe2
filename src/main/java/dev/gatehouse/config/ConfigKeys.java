package dev.gatehouse.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every configuration key Gatehouse knows, with its default. The docs quote these values; the
 * loader rejects any key that is neither listed here nor a well-formed per-route key.
 */
public final class ConfigKeys
{
    public static final String PROXY_HOST = "proxy.host";
    public static final String PROXY_PORT = "proxy.port";
    public static final String PROXY_ID = "proxy.id";
    public static final String ADMIN_HOST = "admin.host";
    public static final String ADMIN_PORT = "admin.port";
    public static final String ADMIN_PATH_PREFIX = "admin.path-prefix";
    public static final String FORWARD_ENABLED = "forward.enabled";
    public static final String CONNECT_ENABLED = "connect.enabled";
    public static final String CONNECT_ALLOWED_PORTS = "connect.allowed-ports";
    public static final String ROUTES = "routes";
    public static final String TIMEOUTS_CONNECT = "timeouts.connect";
    public static final String TIMEOUTS_IDLE = "timeouts.idle";
    public static final String TIMEOUTS_REQUEST = "timeouts.request";
    public static final String SHUTDOWN_GRACE = "shutdown.grace";
    public static final String SERVER_MAX_THREADS = "server.max-threads";
    public static final String SERVER_MIN_THREADS = "server.min-threads";
    public static final String UPSTREAM_MAX_CONNECTIONS = "upstream.max-connections-per-target";
    public static final String RELOAD_INTERVAL = "reload.interval";

    public static final String TRUST_PROXIES = "trust.proxies";
    public static final String ACL_ALLOW = "acl.allow";
    public static final String ACL_DENY = "acl.deny";
    public static final String ADMIN_ACL_ALLOW = "admin.acl.allow";
    public static final String ADMIN_TOKEN = "admin.token";
    /** Serves the CPU profiler at /admin/pprof (behind admin.token, bounded duration); off by default. */
    public static final String ADMIN_PROFILING = "admin.profiling";
    public static final String RATELIMIT_RPS = "ratelimit.requests-per-second";
    public static final String RATELIMIT_BURST = "ratelimit.burst";
    public static final String RATELIMIT_MAX_CLIENTS = "ratelimit.max-clients";
    public static final String RATELIMIT_KEY = "ratelimit.key";
    public static final String RATELIMIT_KEYS_FILE = "ratelimit.keys-file";
    /** Where the buckets live: {@code local} (this process) or {@code redis} (shared by every instance). */
    public static final String RATELIMIT_BACKEND = "ratelimit.backend";
    public static final String RATELIMIT_REDIS_URI = "ratelimit.redis.uri";
    public static final String RATELIMIT_REDIS_ON_FAILURE = "ratelimit.redis.on-failure";
    public static final String RATELIMIT_REDIS_TIMEOUT = "ratelimit.redis.timeout";
    public static final String RATELIMIT_REDIS_KEY_PREFIX = "ratelimit.redis.key-prefix";
    public static final String DEFAULT_RATELIMIT_BACKEND = "local";
    public static final String DEFAULT_RATELIMIT_REDIS_URI = "redis://127.0.0.1:6379";
    public static final String DEFAULT_RATELIMIT_REDIS_ON_FAILURE = "open";
    public static final String DEFAULT_RATELIMIT_REDIS_TIMEOUT = "250ms";
    public static final String DEFAULT_RATELIMIT_REDIS_KEY_PREFIX = "gatehouse:ratelimit:";
    public static final String FILTER_MODE = "filter.mode";
    public static final String FILTER_BLOCKED = "filter.blocked";
    public static final String FILTER_ALLOWED = "filter.allowed";
    public static final String FILTER_BLOCKED_FILE = "filter.blocked-file";
    public static final String FILTER_ALLOWED_FILE = "filter.allowed-file";
    public static final String FILTER_MESSAGE = "filter.message";
    public static final String FILTER_REVERSE_HOST = "filter.reverse-host";
    public static final String FILTER_BLOCKED_CONTENT_TYPES = "filter.blocked-content-types";
    public static final String SSRF_ENABLED = "ssrf.enabled";
    public static final String SSRF_ALLOW = "ssrf.allow";
    public static final String LIMITS_MAX_URL_LENGTH = "limits.max-url-length";
    public static final String LIMITS_MAX_HEADER_SIZE = "limits.max-header-size";
    public static final String LIMITS_MAX_HEADERS = "limits.max-headers";
    public static final String LIMITS_MAX_BODY_SIZE = "limits.max-body-size";
    public static final String LIMITS_ALLOWED_METHODS = "limits.allowed-methods";
    public static final String HEADERS_HSTS = "headers.hsts";
    public static final String HEADERS_CONTENT_TYPE_OPTIONS = "headers.content-type-options";
    public static final String HEADERS_FRAME_OPTIONS = "headers.frame-options";
    public static final String HEADERS_CSP = "headers.content-security-policy";
    public static final String HEADERS_REFERRER_POLICY = "headers.referrer-policy";
    public static final String HEADERS_OVERRIDE = "headers.override";
    public static final String HEADERS_REMOVE = "headers.remove";
    public static final String AUTH_USERS_FILE = "auth.users-file";
    public static final String AUTH_REALM = "auth.realm";
    public static final String LOG_ACCESS_ENABLED = "log.access.enabled";
    public static final String LOG_LEVEL = "log.level";
    public static final String LOG_FORMAT = "log.format";
    public static final String LOG_REDACT = "log.redact";
    public static final String LOG_QUEUE_SIZE = "log.queue-size";
    public static final String LOG_NEVER_BLOCK = "log.never-block";
    public static final String LOG_FILE_PATH = "log.file.path";
    public static final String LOG_FILE_MAX_SIZE = "log.file.max-size";
    public static final String LOG_FILE_MAX_HISTORY = "log.file.max-history";
    public static final String LOG_FILE_TOTAL_SIZE_CAP = "log.file.total-size-cap";

    // --- Compression, HTTP/2 and TLS (parsed by ProtocolConfigs into ProtocolConfig) -----------------
    public static final String COMPRESSION_ENABLED = "compression.enabled";
    public static final String COMPRESSION_MIN_SIZE = "compression.min-size";
    public static final String COMPRESSION_TYPES = "compression.types";
    public static final String COMPRESSION_GZIP_LEVEL = "compression.gzip.level";
    public static final String COMPRESSION_BROTLI_QUALITY = "compression.brotli.quality";
    public static final String HTTP2_ENABLED = "http2.enabled";
    public static final String HTTP2_MAX_CONCURRENT_STREAMS = "http2.max-concurrent-streams";
    public static final String HTTP2_MAX_EVENTS_PER_SECOND = "http2.max-events-per-second";
    public static final String TLS_ENABLED = "tls.enabled";
    public static final String TLS_HOST = "tls.host";
    public static final String TLS_PORT = "tls.port";
    public static final String TLS_KEYSTORE = "tls.keystore";
    public static final String TLS_KEYSTORE_PASSWORD = "tls.keystore-password";
    public static final String TLS_CERTIFICATE = "tls.certificate";
    public static final String TLS_PRIVATE_KEY = "tls.private-key";
    public static final String TLS_PROTOCOLS = "tls.protocols";
    public static final String TLS_CIPHER_SUITES = "tls.cipher-suites";
    public static final String TLS_SELF_SIGNED = "tls.self-signed";
    public static final String TLS_RELOAD_INTERVAL = "tls.reload-interval";
    public static final String UPSTREAM_TLS_TRUST_STORE = "upstream.tls.trust-store";
    public static final String UPSTREAM_TLS_TRUST_STORE_PASSWORD = "upstream.tls.trust-store-password";
    public static final String UPSTREAM_TLS_CA_FILE = "upstream.tls.ca-file";
    public static final String UPSTREAM_TLS_CLIENT_KEYSTORE = "upstream.tls.client-keystore";
    public static final String UPSTREAM_TLS_CLIENT_KEYSTORE_PASSWORD = "upstream.tls.client-keystore-password";
    public static final String UPSTREAM_TLS_CLIENT_CERTIFICATE = "upstream.tls.client-certificate";
    public static final String UPSTREAM_TLS_CLIENT_PRIVATE_KEY = "upstream.tls.client-private-key";
    /** Per route: {@code http/1.1} (default), {@code h2c} (prior knowledge) or {@code h2} (TLS, ALPN). */
    public static final String ROUTE_PROTOCOL = "protocol";
    /** Per route: skip upstream certificate and host name verification (logged at start-up). */
    public static final String ROUTE_TLS_INSECURE = "tls.insecure";

    /**
     * On: only responses that are not compressed yet, of a compressible type and at least
     * {@code compression.min-size}, to clients that ask for it; 80-90% fewer bytes for text, paid
     * in CPU (docs/benchmarks.md).
     */
    public static final boolean DEFAULT_COMPRESSION_ENABLED = true;
    public static final String DEFAULT_COMPRESSION_MIN_SIZE = "1KB";
    public static final String DEFAULT_COMPRESSION_TYPES = "text/*,application/json,application/*+json,application/javascript,"
        + "application/x-javascript,application/xml,application/*+xml,image/svg+xml,application/wasm,application/x-ndjson";
    /** Speed first: level 5 is 22% smaller than level 1 and three times as fast as level 9 (docs/benchmarks.md). */
    public static final int DEFAULT_COMPRESSION_GZIP_LEVEL = 5;
    /** Quality 4: about gzip 5's size and CPU on JSON, smaller on HTML/JS; 11 is for static pre-compression. */
    public static final int DEFAULT_COMPRESSION_BROTLI_QUALITY = 4;
    public static final int DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS = 128;
    /** Jetty's WindowRateControl: control frames and resets per second and connection before it is closed. */
    public static final int DEFAULT_HTTP2_MAX_EVENTS_PER_SECOND = 128;
    public static final int DEFAULT_TLS_PORT = 8443;
    public static final String DEFAULT_TLS_PROTOCOLS = "TLSv1.3,TLSv1.2";
    public static final String DEFAULT_TLS_RELOAD_INTERVAL = "10s";

    public static final String DEFAULT_PROXY_HOST = "127.0.0.1";
    public static final int DEFAULT_PROXY_PORT = 8080;
    public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";
    public static final int DEFAULT_ADMIN_PORT = 9090;
    public static final String DEFAULT_ADMIN_PATH_PREFIX = "/_gatehouse/";
    public static final boolean DEFAULT_FORWARD_ENABLED = true;
    public static final boolean DEFAULT_CONNECT_ENABLED = true;
    public static final String DEFAULT_CONNECT_ALLOWED_PORTS = "443";
    public static final String DEFAULT_TIMEOUTS_CONNECT = "5s";
    public static final String DEFAULT_TIMEOUTS_IDLE = "30s";
    /** None: a whole-exchange cap would cut every long download and stream; silence is bounded by timeouts.idle. */
    public static final String DEFAULT_TIMEOUTS_REQUEST = "0s";
    public static final String DEFAULT_SHUTDOWN_GRACE = "30s";
    public static final int DEFAULT_SERVER_MAX_THREADS = 200;
    public static final int DEFAULT_SERVER_MIN_THREADS = 8;
    /**
     * Jetty's proxy servlet allows 256 connections per destination; a reverse proxy in front of one
     * busy backend needs more than that before it starts queueing. 2048 keeps a bound (a runaway
     * client cannot open unlimited sockets to one backend) while staying above what 2 cores can drive.
     */
    public static final int DEFAULT_UPSTREAM_MAX_CONNECTIONS = 2048;
    public static final String DEFAULT_RELOAD_INTERVAL = "5s";
    /** Forward and CONNECT use: loopback and private ranges, so an accidental public bind is not an open proxy. */
    public static final String DEFAULT_ACL_ALLOW = "loopback,private";
    public static final String DEFAULT_ADMIN_ACL_ALLOW = "loopback";
    public static final int DEFAULT_RATELIMIT_MAX_CLIENTS = 100_000;
    public static final String DEFAULT_FILTER_MODE = "blocklist";
    public static final String DEFAULT_FILTER_MESSAGE = "Access to this destination is blocked by policy";
    public static final int DEFAULT_LIMITS_MAX_URL_LENGTH = 8192;
    public static final String DEFAULT_LIMITS_MAX_HEADER_SIZE = "16KB";
    public static final int DEFAULT_LIMITS_MAX_HEADERS = 100;
    public static final String DEFAULT_LIMITS_MAX_BODY_SIZE = "10MB";
    public static final String DEFAULT_LIMITS_ALLOWED_METHODS = "GET,HEAD,POST,PUT,DELETE,OPTIONS,PATCH";
    public static final String DEFAULT_HEADERS_HSTS = "max-age=31536000; includeSubDomains";
    public static final String DEFAULT_HEADERS_CONTENT_TYPE_OPTIONS = "nosniff";
    public static final String DEFAULT_HEADERS_FRAME_OPTIONS = "DENY";
    public static final String DEFAULT_HEADERS_REFERRER_POLICY = "strict-origin-when-cross-origin";
    public static final String DEFAULT_HEADERS_REMOVE = "X-Powered-By";
    public static final String DEFAULT_AUTH_REALM = "Gatehouse";
    /** Query parameters that commonly carry credentials; their values never reach the logs. */
    public static final String DEFAULT_LOG_REDACT = "access_token,api_key,apikey,key,password,secret,sig,signature,token";

    // --- Response cache (RFC 9111 shared cache in memory; see docs/caching.md) ---------------------
    public static final String CACHE_ENABLED = "cache.enabled";
    public static final String CACHE_MAX_MEMORY = "cache.max-memory";
    public static final String CACHE_MAX_ENTRIES = "cache.max-entries";
    public static final String CACHE_MAX_OBJECT_SIZE = "cache.max-object-size";
    public static final String CACHE_SORT_QUERY = "cache.sort-query";
    public static final String CACHE_INCLUDE = "cache.include";
    public static final String CACHE_EXCLUDE = "cache.exclude";
    public static final String CACHE_COLLAPSE_TIMEOUT = "cache.collapse-timeout";
    /** Admin purges broadcast to every instance through Redis pub/sub; empty: this instance only. */
    public static final String CACHE_BROADCAST_REDIS_URI = "cache.broadcast.redis.uri";
    public static final String CACHE_BROADCAST_CHANNEL = "cache.broadcast.channel";
    public static final String DEFAULT_CACHE_BROADCAST_CHANNEL = "gatehouse:cache:purge";
    /** Off by default: a proxy that starts caching on upgrade could serve one user's response to another. */
    public static final boolean DEFAULT_CACHE_ENABLED = false;
    public static final String DEFAULT_CACHE_MAX_MEMORY = "256MB";
    public static final int DEFAULT_CACHE_MAX_ENTRIES = 10_000;
    public static final String DEFAULT_CACHE_MAX_OBJECT_SIZE = "8MB";
    /** Off: parameter order can matter to an origin. */
    public static final boolean DEFAULT_CACHE_SORT_QUERY = false;
    public static final String DEFAULT_CACHE_COLLAPSE_TIMEOUT = "5s";
    /** {@code routes.<name>.cache=on|off}: caching for one route (default on while cache.enabled). */
    public static final String ROUTE_CACHE = "cache";

    /** Per-route keys, written {@code routes.<name>.<suffix>}. */
    public static final String ROUTE_MATCH_HOST = "match.host";
    public static final String ROUTE_MATCH_PATH = "match.path";
    public static final String ROUTE_MATCH_HEADER_PREFIX = "match.header.";
    /** {@code routes.<name>.match.query.<param>=<value>}: the first value of a query parameter (case-sensitive name). */
    public static final String ROUTE_MATCH_QUERY_PREFIX = "match.query.";
    public static final String ROUTE_TARGETS = "targets";
    public static final String ROUTE_STRIP_PREFIX = "strip-prefix";
    public static final String ROUTE_PRESERVE_HOST = "preserve-host";
    public static final String ROUTE_RATELIMIT_RPS = "ratelimit.requests-per-second";
    public static final String ROUTE_RATELIMIT_BURST = "ratelimit.burst";
    public static final String ROUTE_RATELIMIT_KEY = "ratelimit.key";
    public static final String ROUTE_ACL_ALLOW = "acl.allow";
    public static final String ROUTE_ACL_DENY = "acl.deny";
    public static final String ROUTE_REQUEST_HEADERS_REMOVE = "request-headers.remove";
    public static final String ROUTE_RESPONSE_HEADERS_REMOVE = "response-headers.remove";
    public static final String ROUTE_REQUEST_HEADERS_SET = "request-headers.set.";
    public static final String ROUTE_REQUEST_HEADERS_ADD = "request-headers.add.";
    public static final String ROUTE_RESPONSE_HEADERS_SET = "response-headers.set.";
    public static final String ROUTE_RESPONSE_HEADERS_ADD = "response-headers.add.";
    public static final String ROUTE_BALANCER = "balancer";
    public static final String ROUTE_REQUIRED = "required";
    public static final String ROUTE_HEALTH_PATH = "health.path";
    public static final String ROUTE_HEALTH_INTERVAL = "health.interval";
    public static final String ROUTE_HEALTH_TIMEOUT = "health.timeout";
    public static final String ROUTE_HEALTH_HEALTHY = "health.healthy-threshold";
    public static final String ROUTE_HEALTH_UNHEALTHY = "health.unhealthy-threshold";
    public static final String ROUTE_HEALTH_EXPECTED = "health.expected-status";
    public static final String ROUTE_BREAKER_ENABLED = "breaker.enabled";
    public static final String ROUTE_BREAKER_FAILURE_RATE = "breaker.failure-rate-threshold";
    public static final String ROUTE_BREAKER_WINDOW = "breaker.sliding-window";
    public static final String ROUTE_BREAKER_MIN_CALLS = "breaker.minimum-calls";
    public static final String ROUTE_BREAKER_WAIT = "breaker.wait-in-open";
    public static final String ROUTE_BREAKER_HALF_OPEN = "breaker.half-open-calls";
    public static final String ROUTE_BREAKER_SLOW = "breaker.slow-call-threshold";
    public static final String ROUTE_BREAKER_STATUSES = "breaker.failure-statuses";
    /** {@code routes.<name>.panic}: with every target ejected (breakers, health checks), send to all of them anyway. */
    public static final String ROUTE_PANIC = "panic";
    public static final String ROUTE_RETRY_ATTEMPTS = "retry.max-attempts";
    public static final String ROUTE_RETRY_BACKOFF = "retry.backoff";
    public static final String ROUTE_RETRY_BUDGET = "retry.budget";
    public static final String ROUTE_RETRY_NON_IDEMPOTENT = "retry.non-idempotent";
    public static final String ROUTE_TIMEOUTS_CONNECT = "timeouts.connect";
    public static final String ROUTE_TIMEOUTS_IDLE = "timeouts.idle";
    public static final String ROUTE_TIMEOUTS_REQUEST = "timeouts.request";
    public static final String ROUTE_MAX_CONCURRENT = "max-concurrent";
    public static final String ROUTE_MAX_WAIT = "max-wait";
    /** WebSocket proxying per route: {@code routes.<name>.websocket.*}. */
    public static final String ROUTE_WEBSOCKET_ENABLED = "websocket.enabled";
    public static final String ROUTE_WEBSOCKET_IDLE_TIMEOUT = "websocket.idle-timeout";
    public static final String ROUTE_WEBSOCKET_MAX_MESSAGE_SIZE = "websocket.max-message-size";
    public static final String ROUTE_WEBSOCKET_PING_INTERVAL = "websocket.ping-interval";
    /** Per-route WebSocket keys with their defaults. */
    public static final Map<String, String> ROUTE_WEBSOCKET_DEFAULTS = Map.of(
        ROUTE_WEBSOCKET_ENABLED, "true",
        ROUTE_WEBSOCKET_IDLE_TIMEOUT, "10m",
        ROUTE_WEBSOCKET_MAX_MESSAGE_SIZE, "16MB",
        ROUTE_WEBSOCKET_PING_INTERVAL, "0s");
    /** Per-route resilience keys with their defaults (a route without them uses these). */
    public static final Map<String, String> ROUTE_RESILIENCE_DEFAULTS = routeResilienceDefaults();

    private static Map<String, String> routeResilienceDefaults()
    {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(ROUTE_BALANCER, "round-robin");
        d.put(ROUTE_REQUIRED, "false");
        d.put(ROUTE_HEALTH_PATH, "");
        d.put(ROUTE_HEALTH_INTERVAL, "10s");
        d.put(ROUTE_HEALTH_TIMEOUT, "2s");
        d.put(ROUTE_HEALTH_HEALTHY, "2");
        d.put(ROUTE_HEALTH_UNHEALTHY, "3");
        d.put(ROUTE_HEALTH_EXPECTED, "200-399");
        d.put(ROUTE_BREAKER_ENABLED, "true");
        d.put(ROUTE_BREAKER_FAILURE_RATE, "50");
        d.put(ROUTE_BREAKER_WINDOW, "20");
        d.put(ROUTE_BREAKER_MIN_CALLS, "10");
        d.put(ROUTE_BREAKER_WAIT, "30s");
        d.put(ROUTE_BREAKER_HALF_OPEN, "2");
        d.put(ROUTE_BREAKER_SLOW, "0s");
        // gateway failures say the target (or what is behind it) is down or overloaded; a 500 is the
        // application's answer on one path and says nothing about the others
        d.put(ROUTE_BREAKER_STATUSES, "502-504");
        d.put(ROUTE_PANIC, "true");
        d.put(ROUTE_RETRY_ATTEMPTS, "2");
        d.put(ROUTE_RETRY_BACKOFF, "25ms");
        d.put(ROUTE_RETRY_BUDGET, "20");
        d.put(ROUTE_RETRY_NON_IDEMPOTENT, "false");
        d.put(ROUTE_MAX_CONCURRENT, "0");
        d.put(ROUTE_MAX_WAIT, "0s");
        return java.util.Collections.unmodifiableMap(d);
    }

    /** Per-route keys with a fixed name. The security headers can be overridden per route too. */
    public static final Set<String> ROUTE_SUFFIXES = Set.of(ROUTE_MATCH_HOST, ROUTE_MATCH_PATH, ROUTE_TARGETS,
        ROUTE_STRIP_PREFIX, ROUTE_PRESERVE_HOST, ROUTE_RATELIMIT_RPS, ROUTE_RATELIMIT_BURST, ROUTE_RATELIMIT_KEY, ROUTE_ACL_ALLOW, ROUTE_ACL_DENY,
        ROUTE_REQUEST_HEADERS_REMOVE, ROUTE_RESPONSE_HEADERS_REMOVE, HEADERS_HSTS, HEADERS_CONTENT_TYPE_OPTIONS,
        HEADERS_FRAME_OPTIONS, HEADERS_CSP, HEADERS_REFERRER_POLICY, ROUTE_BALANCER, ROUTE_REQUIRED, ROUTE_HEALTH_PATH,
        ROUTE_HEALTH_INTERVAL, ROUTE_HEALTH_TIMEOUT, ROUTE_HEALTH_HEALTHY, ROUTE_HEALTH_UNHEALTHY, ROUTE_HEALTH_EXPECTED,
        ROUTE_BREAKER_ENABLED, ROUTE_BREAKER_FAILURE_RATE, ROUTE_BREAKER_WINDOW, ROUTE_BREAKER_MIN_CALLS, ROUTE_BREAKER_WAIT,
        ROUTE_BREAKER_HALF_OPEN, ROUTE_BREAKER_SLOW, ROUTE_BREAKER_STATUSES, ROUTE_PANIC, ROUTE_RETRY_ATTEMPTS, ROUTE_RETRY_BACKOFF,
        ROUTE_RETRY_BUDGET, ROUTE_RETRY_NON_IDEMPOTENT, ROUTE_TIMEOUTS_CONNECT, ROUTE_TIMEOUTS_IDLE, ROUTE_TIMEOUTS_REQUEST,
        ROUTE_MAX_CONCURRENT, ROUTE_MAX_WAIT, ROUTE_WEBSOCKET_ENABLED, ROUTE_WEBSOCKET_IDLE_TIMEOUT,
        ROUTE_WEBSOCKET_MAX_MESSAGE_SIZE, ROUTE_WEBSOCKET_PING_INTERVAL, ROUTE_PROTOCOL, ROUTE_TLS_INSECURE, ROUTE_CACHE);
    /** Per-route key families ending in a header name: {@code routes.<name>.<family><Header-Name>}. */
    public static final java.util.List<String> ROUTE_HEADER_FAMILIES = java.util.List.of(ROUTE_MATCH_HEADER_PREFIX,
        ROUTE_REQUEST_HEADERS_SET, ROUTE_REQUEST_HEADERS_ADD, ROUTE_RESPONSE_HEADERS_SET, ROUTE_RESPONSE_HEADERS_ADD);


    // ---- CLI integration (cli.*): see docs/cli.md. Read at start-up; a change needs a restart. ----
    public static final String CLI_ENABLED = "cli.enabled";
    public static final String CLI_PATH_PREFIX = "cli.path-prefix";
    public static final String CLI_ENV_ALLOWED = "cli.env.allowed";
    public static final String CLI_WORKING_DIR = "cli.working-dir";
    public static final String CLI_MAX_CONCURRENT = "cli.max-concurrent";
    public static final String CLI_QUEUE = "cli.queue";
    public static final String CLI_TIMEOUT = "cli.timeout";
    public static final String CLI_KILL_GRACE = "cli.kill-grace";
    public static final String CLI_MAX_OUTPUT = "cli.max-output";
    public static final String CLI_MAX_MEMORY = "cli.max-memory-per-process";
    public static final String CLI_MAX_CPU_SECONDS = "cli.max-cpu-seconds";
    public static final String CLI_TOKEN = "cli.token";
    public static final String CLI_ACL_ALLOW = "cli.acl.allow";
    public static final String CLI_REDACT_ARGS = "cli.redact-args";
    public static final String CLI_RETAIN_BYTES = "cli.retain-bytes";
    public static final String CLI_RETAIN_FOR = "cli.retain-for";
    /** Browser origins ({@code scheme://host[:port]}) whose cross-site requests the CLI accepts; others with an Origin header get 403. */
    public static final String CLI_ALLOWED_ORIGINS = "cli.allowed-origins";
    /** Host names (besides the listener's own address and loopback names) that requests to the CLI may carry in Host. */
    public static final String CLI_ALLOWED_HOSTS = "cli.allowed-hosts";
    public static final boolean DEFAULT_CLI_ENABLED = false;
    public static final String DEFAULT_CLI_PATH_PREFIX = "/cli/";
    public static final int DEFAULT_CLI_MAX_CONCURRENT = 10;
    public static final int DEFAULT_CLI_QUEUE = 0;
    public static final String DEFAULT_CLI_TIMEOUT = "60s";
    public static final String DEFAULT_CLI_KILL_GRACE = "5s";
    public static final String DEFAULT_CLI_MAX_OUTPUT = "10MB";
    public static final String DEFAULT_CLI_MAX_MEMORY = "128MB";
    public static final int DEFAULT_CLI_MAX_CPU_SECONDS = 0;
    public static final String DEFAULT_CLI_ACL_ALLOW = "loopback";
    /** Masks the value of password=, token=, secret= and key= style arguments in the audit log. */
    public static final String DEFAULT_CLI_REDACT_ARGS = "(?i)(?<=password=|passwd=|token=|secret=|key=).+";
    public static final String DEFAULT_CLI_RETAIN_BYTES = "1MB";
    public static final String DEFAULT_CLI_RETAIN_FOR = "5m";
    /** Per-command keys, written {@code cli.commands.<name>.<suffix>}. */
    public static final String CLI_COMMANDS_PREFIX = "cli.commands.";
    public static final String CLI_COMMAND_PATH = "path";
    public static final String CLI_COMMAND_ARGS_PATTERN = "args-pattern";
    public static final String CLI_COMMAND_WORKING_DIR = "working-dir";
    public static final String CLI_COMMAND_TIMEOUT = "timeout";
    public static final String CLI_COMMAND_MAX_OUTPUT = "max-output";
    public static final String CLI_COMMAND_MAX_MEMORY = "max-memory";
    public static final String CLI_COMMAND_MAX_CPU_SECONDS = "max-cpu-seconds";
    public static final Set<String> CLI_COMMAND_SUFFIXES = Set.of(CLI_COMMAND_PATH, CLI_COMMAND_ARGS_PATTERN,
        CLI_COMMAND_WORKING_DIR, CLI_COMMAND_TIMEOUT, CLI_COMMAND_MAX_OUTPUT, CLI_COMMAND_MAX_MEMORY, CLI_COMMAND_MAX_CPU_SECONDS);
    // ---- end of CLI keys ----

    private static final Map<String, String> DEFAULTS;

    static
    {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(PROXY_HOST, DEFAULT_PROXY_HOST);
        d.put(PROXY_PORT, Integer.toString(DEFAULT_PROXY_PORT));
        d.put(PROXY_ID, "");
        d.put(ADMIN_HOST, DEFAULT_ADMIN_HOST);
        d.put(ADMIN_PORT, Integer.toString(DEFAULT_ADMIN_PORT));
        d.put(ADMIN_PATH_PREFIX, DEFAULT_ADMIN_PATH_PREFIX);
        d.put(FORWARD_ENABLED, Boolean.toString(DEFAULT_FORWARD_ENABLED));
        d.put(CONNECT_ENABLED, Boolean.toString(DEFAULT_CONNECT_ENABLED));
        d.put(CONNECT_ALLOWED_PORTS, DEFAULT_CONNECT_ALLOWED_PORTS);
        d.put(ROUTES, "");
        d.put(TIMEOUTS_CONNECT, DEFAULT_TIMEOUTS_CONNECT);
        d.put(TIMEOUTS_IDLE, DEFAULT_TIMEOUTS_IDLE);
        d.put(TIMEOUTS_REQUEST, DEFAULT_TIMEOUTS_REQUEST);
        d.put(SHUTDOWN_GRACE, DEFAULT_SHUTDOWN_GRACE);
        d.put(SERVER_MAX_THREADS, Integer.toString(DEFAULT_SERVER_MAX_THREADS));
        d.put(SERVER_MIN_THREADS, Integer.toString(DEFAULT_SERVER_MIN_THREADS));
        d.put(UPSTREAM_MAX_CONNECTIONS, Integer.toString(DEFAULT_UPSTREAM_MAX_CONNECTIONS));
        d.put(RELOAD_INTERVAL, DEFAULT_RELOAD_INTERVAL);
        d.put(TRUST_PROXIES, "");
        d.put(ACL_ALLOW, DEFAULT_ACL_ALLOW);
        d.put(ACL_DENY, "");
        d.put(ADMIN_ACL_ALLOW, DEFAULT_ADMIN_ACL_ALLOW);
        d.put(ADMIN_TOKEN, "");
        d.put(ADMIN_PROFILING, "false");
        d.put(RATELIMIT_RPS, "0");
        d.put(RATELIMIT_BURST, "0");
        d.put(RATELIMIT_MAX_CLIENTS, Integer.toString(DEFAULT_RATELIMIT_MAX_CLIENTS));
        d.put(RATELIMIT_KEY, "client-ip");
        d.put(RATELIMIT_KEYS_FILE, "");
        d.put(RATELIMIT_BACKEND, DEFAULT_RATELIMIT_BACKEND);
        d.put(RATELIMIT_REDIS_URI, DEFAULT_RATELIMIT_REDIS_URI);
        d.put(RATELIMIT_REDIS_ON_FAILURE, DEFAULT_RATELIMIT_REDIS_ON_FAILURE);
        d.put(RATELIMIT_REDIS_TIMEOUT, DEFAULT_RATELIMIT_REDIS_TIMEOUT);
        d.put(RATELIMIT_REDIS_KEY_PREFIX, DEFAULT_RATELIMIT_REDIS_KEY_PREFIX);
        d.put(FILTER_MODE, DEFAULT_FILTER_MODE);
        d.put(FILTER_BLOCKED, "");
        d.put(FILTER_ALLOWED, "");
        d.put(FILTER_BLOCKED_FILE, "");
        d.put(FILTER_ALLOWED_FILE, "");
        d.put(FILTER_MESSAGE, DEFAULT_FILTER_MESSAGE);
        d.put(FILTER_REVERSE_HOST, "false");
        d.put(FILTER_BLOCKED_CONTENT_TYPES, "");
        d.put(SSRF_ENABLED, "true");
        d.put(SSRF_ALLOW, "");
        d.put(LIMITS_MAX_URL_LENGTH, Integer.toString(DEFAULT_LIMITS_MAX_URL_LENGTH));
        d.put(LIMITS_MAX_HEADER_SIZE, DEFAULT_LIMITS_MAX_HEADER_SIZE);
        d.put(LIMITS_MAX_HEADERS, Integer.toString(DEFAULT_LIMITS_MAX_HEADERS));
        d.put(LIMITS_MAX_BODY_SIZE, DEFAULT_LIMITS_MAX_BODY_SIZE);
        d.put(LIMITS_ALLOWED_METHODS, DEFAULT_LIMITS_ALLOWED_METHODS);
        d.put(HEADERS_HSTS, DEFAULT_HEADERS_HSTS);
        d.put(HEADERS_CONTENT_TYPE_OPTIONS, DEFAULT_HEADERS_CONTENT_TYPE_OPTIONS);
        d.put(HEADERS_FRAME_OPTIONS, DEFAULT_HEADERS_FRAME_OPTIONS);
        d.put(HEADERS_CSP, "");
        d.put(HEADERS_REFERRER_POLICY, DEFAULT_HEADERS_REFERRER_POLICY);
        d.put(HEADERS_OVERRIDE, "false");
        d.put(HEADERS_REMOVE, DEFAULT_HEADERS_REMOVE);
        d.put(AUTH_USERS_FILE, "");
        d.put(AUTH_REALM, DEFAULT_AUTH_REALM);
        d.put(LOG_ACCESS_ENABLED, "true");
        d.put(LOG_LEVEL, "INFO");
        d.put(LOG_FORMAT, "json");
        d.put(LOG_REDACT, DEFAULT_LOG_REDACT);
        d.put(LOG_QUEUE_SIZE, "8192");
        d.put(LOG_NEVER_BLOCK, "true");
        d.put(LOG_FILE_PATH, "");
        d.put(LOG_FILE_MAX_SIZE, "100MB");
        d.put(LOG_FILE_MAX_HISTORY, "7");
        d.put(LOG_FILE_TOTAL_SIZE_CAP, "2GB");
        d.put(CLI_ENABLED, Boolean.toString(DEFAULT_CLI_ENABLED));
        d.put(CLI_PATH_PREFIX, DEFAULT_CLI_PATH_PREFIX);
        d.put(CLI_ENV_ALLOWED, "");
        d.put(CLI_WORKING_DIR, "");
        d.put(CLI_MAX_CONCURRENT, Integer.toString(DEFAULT_CLI_MAX_CONCURRENT));
        d.put(CLI_QUEUE, Integer.toString(DEFAULT_CLI_QUEUE));
        d.put(CLI_TIMEOUT, DEFAULT_CLI_TIMEOUT);
        d.put(CLI_KILL_GRACE, DEFAULT_CLI_KILL_GRACE);
        d.put(CLI_MAX_OUTPUT, DEFAULT_CLI_MAX_OUTPUT);
        d.put(CLI_MAX_MEMORY, DEFAULT_CLI_MAX_MEMORY);
        d.put(CLI_MAX_CPU_SECONDS, Integer.toString(DEFAULT_CLI_MAX_CPU_SECONDS));
        d.put(CLI_TOKEN, "");
        d.put(CLI_ACL_ALLOW, DEFAULT_CLI_ACL_ALLOW);
        d.put(CLI_REDACT_ARGS, DEFAULT_CLI_REDACT_ARGS);
        d.put(CLI_RETAIN_BYTES, DEFAULT_CLI_RETAIN_BYTES);
        d.put(CLI_RETAIN_FOR, DEFAULT_CLI_RETAIN_FOR);
        d.put(CLI_ALLOWED_ORIGINS, "");
        d.put(CLI_ALLOWED_HOSTS, "");
        d.put(COMPRESSION_ENABLED, Boolean.toString(DEFAULT_COMPRESSION_ENABLED));
        d.put(COMPRESSION_MIN_SIZE, DEFAULT_COMPRESSION_MIN_SIZE);
        d.put(COMPRESSION_TYPES, DEFAULT_COMPRESSION_TYPES);
        d.put(COMPRESSION_GZIP_LEVEL, Integer.toString(DEFAULT_COMPRESSION_GZIP_LEVEL));
        d.put(COMPRESSION_BROTLI_QUALITY, Integer.toString(DEFAULT_COMPRESSION_BROTLI_QUALITY));
        d.put(HTTP2_ENABLED, "true");
        d.put(HTTP2_MAX_CONCURRENT_STREAMS, Integer.toString(DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS));
        d.put(HTTP2_MAX_EVENTS_PER_SECOND, Integer.toString(DEFAULT_HTTP2_MAX_EVENTS_PER_SECOND));
        d.put(TLS_ENABLED, "false");
        d.put(TLS_HOST, "");
        d.put(TLS_PORT, Integer.toString(DEFAULT_TLS_PORT));
        d.put(TLS_KEYSTORE, "");
        d.put(TLS_KEYSTORE_PASSWORD, "");
        d.put(TLS_CERTIFICATE, "");
        d.put(TLS_PRIVATE_KEY, "");
        d.put(TLS_PROTOCOLS, DEFAULT_TLS_PROTOCOLS);
        d.put(TLS_CIPHER_SUITES, "");
        d.put(TLS_SELF_SIGNED, "false");
        d.put(TLS_RELOAD_INTERVAL, DEFAULT_TLS_RELOAD_INTERVAL);
        d.put(UPSTREAM_TLS_TRUST_STORE, "");
        d.put(UPSTREAM_TLS_TRUST_STORE_PASSWORD, "");
        d.put(UPSTREAM_TLS_CA_FILE, "");
        d.put(UPSTREAM_TLS_CLIENT_KEYSTORE, "");
        d.put(UPSTREAM_TLS_CLIENT_KEYSTORE_PASSWORD, "");
        d.put(UPSTREAM_TLS_CLIENT_CERTIFICATE, "");
        d.put(UPSTREAM_TLS_CLIENT_PRIVATE_KEY, "");
        d.put(CACHE_ENABLED, Boolean.toString(DEFAULT_CACHE_ENABLED));
        d.put(CACHE_MAX_MEMORY, DEFAULT_CACHE_MAX_MEMORY);
        d.put(CACHE_MAX_ENTRIES, Integer.toString(DEFAULT_CACHE_MAX_ENTRIES));
        d.put(CACHE_MAX_OBJECT_SIZE, DEFAULT_CACHE_MAX_OBJECT_SIZE);
        d.put(CACHE_SORT_QUERY, Boolean.toString(DEFAULT_CACHE_SORT_QUERY));
        d.put(CACHE_INCLUDE, "");
        d.put(CACHE_BROADCAST_REDIS_URI, "");
        d.put(CACHE_BROADCAST_CHANNEL, DEFAULT_CACHE_BROADCAST_CHANNEL);
        d.put(CACHE_EXCLUDE, "");
        d.put(CACHE_COLLAPSE_TIMEOUT, DEFAULT_CACHE_COLLAPSE_TIMEOUT);
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private ConfigKeys()
    {
    }

    /** The static keys with their defaults, in documentation order. An empty default means "unset". */
    public static Map<String, String> defaults()
    {
        return DEFAULTS;
    }

    /** True for a static key or a well-formed per-route key. Route names are checked against {@code routes} later. */
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
}
