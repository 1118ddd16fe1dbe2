package dev.gatehouse.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;

/**
 * Per-key limits ({@code ratelimit.keys-file}): one line per key, {@code <key> <requests-per-second> [burst]},
 * {@code #} comments. Lets an API gateway give different tiers to different API keys. Reloaded
 * when the file changes; a bad file keeps the previous limits.
 */
public final class RateLimitKeys
{
    public static final RateLimitKeys NONE = new RateLimitKeys(Map.of());

    private final Map<String, RateLimiter.Limit> limits;

    private RateLimitKeys(Map<String, RateLimiter.Limit> limits)
    {
        this.limits = limits;
    }

    public static RateLimitKeys load(String key, Path file)
    {
        if (file == null)
            return NONE;
        List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (IOException x)
        {
            throw new ConfigException(key, key + " cannot read '" + file + "': " + x.getMessage());
        }
        Map<String, RateLimiter.Limit> limits = new HashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String entry = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (entry.isEmpty())
                continue;
            String[] parts = entry.split("\\s+");
            try
            {
                if (parts.length < 2 || parts.length > 3)
                    throw new NumberFormatException();
                double rps = Double.parseDouble(parts[1]);
                long burst = parts.length == 3 ? Long.parseLong(parts[2]) : 0;
                if (!(rps >= ConfigLoader.MIN_RATE && rps <= ConfigLoader.MAX_RATE) || burst < 0 || parts.length == 3 && burst < 1)
                    throw new NumberFormatException();
                limits.put(parts[0], RateLimiter.Limit.withDefaultBurst(rps, burst));
            }
            catch (NumberFormatException x)
            {
                // the key itself is a secret: the message names the line, not its content
                throw new ConfigException(key, key + " line " + (i + 1) + " of " + file
                    + " must be '<key> <requests-per-second> [burst]' with positive numbers");
            }
        }
        return new RateLimitKeys(Map.copyOf(limits));
    }

    /** The limit for a key value, or null when the file does not list it. */
    public RateLimiter.Limit limit(String keyValue)
    {
        return keyValue == null ? null : limits.get(keyValue);
    }

    public int size()
    {
        return limits.size();
    }
}
