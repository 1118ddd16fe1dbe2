package dev.gatehouse.policy;

import java.util.Locale;
import java.util.Objects;

import dev.gatehouse.config.ConfigException;

/**
 * Decides whether a client may reach a destination host by name, from an allow list and a block
 * list of {@link DomainMatcher} rules.
 *
 * <p>What it defends against: the proxy being used to reach destinations the operator has ruled
 * out (a block list), or anything beyond the destinations the operator has ruled in (an allow
 * list). The host is normalised before matching, so case, a trailing dot, Unicode spelling,
 * bracketed or IPv4-mapped IPv6 and inet_aton integer forms do not slip past a rule, and a host
 * that is not a valid name or IP literal is never permitted. Name rules say nothing about the
 * addresses a name resolves to; {@link SsrfGuard} covers those.
 */
public final class DestinationPolicy
{
    /** How the two lists combine. */
    public enum Mode
    {
        /** Everything except the blocked hosts. */
        BLOCKLIST,
        /** Only the allowed hosts. */
        ALLOWLIST,
        /** Only the allowed hosts, minus the blocked ones (an allow list with exceptions). */
        MIXED
    }

    private final Mode mode;
    private final DomainMatcher allowed;
    private final DomainMatcher blocked;

    public DestinationPolicy(Mode mode, DomainMatcher allowed, DomainMatcher blocked)
    {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.blocked = Objects.requireNonNull(blocked, "blocked");
    }

    /**
     * Parses {@code blocklist}, {@code allowlist} or {@code mixed} (any case, surrounding space
     * ignored).
     *
     * @throws ConfigException naming the key and the value otherwise
     */
    public static Mode parseMode(String key, String value)
    {
        if (value != null)
        {
            switch (value.trim().toLowerCase(Locale.ROOT))
            {
                case "blocklist":
                    return Mode.BLOCKLIST;
                case "allowlist":
                    return Mode.ALLOWLIST;
                case "mixed":
                    return Mode.MIXED;
                default:
                    break;
            }
        }
        throw ConfigException.invalid(key, "must be blocklist, allowlist or mixed", value);
    }

    /** Whether a client may reach this host (a name or IP literal, without port). */
    public boolean permits(String host)
    {
        String normalized = DomainMatcher.normalizeHost(host);
        if (normalized == null)
            return false;
        return switch (mode)
        {
            case BLOCKLIST -> !blocked.matches(normalized);
            case ALLOWLIST -> allowed.matches(normalized);
            case MIXED -> allowed.matches(normalized) && !blocked.matches(normalized);
        };
    }

    public Mode mode()
    {
        return mode;
    }

    public DomainMatcher allowed()
    {
        return allowed;
    }

    public DomainMatcher blocked()
    {
        return blocked;
    }
}
