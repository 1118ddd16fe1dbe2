package dev.gatehouse.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.config.ConfigException;

/**
 * Proxy users read from an htpasswd-style file: one {@code user:hash} per line, {@code #} comments
 * and blank lines ignored. Hashes are bcrypt ({@code $2y$}, {@code $2a$}, {@code $2b$}, as written
 * by {@code htpasswd -B}) or {@code {SHA256}} followed by the base64 SHA-256 of the password.
 * Successful logins are remembered for a few minutes (keyed by a SHA-256 of the header, never
 * the password itself) so bcrypt does not run on every request. Immutable apart from that cache;
 * reloading the file means loading a new instance.
 */
public final class UsersFile
{
    /** How long a verified {@code Proxy-Authorization} value is trusted without re-checking. */
    public static final Duration VERIFIED_CACHE_TTL = Duration.ofMinutes(5);
    /** How many verified header values are remembered. */
    public static final long VERIFIED_CACHE_MAX = 10_000;
    /** Longer header values are refused unchecked. */
    static final int MAX_HEADER_LENGTH = 4096;

    private static final String SHA256_PREFIX = "{SHA256}";
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final BCrypt.Version BCRYPT_VERIFY_VERSION = BCrypt.Version.VERSION_2A;

    private final Map<String, Credential> users;
    private final Credential dummy;
    private final Cache<String, String> verified = Caffeine.newBuilder()
        .expireAfterWrite(VERIFIED_CACHE_TTL)
        .maximumSize(VERIFIED_CACHE_MAX)
        .build();

    private UsersFile(Map<String, Credential> users, Credential dummy)
    {
        this.users = Map.copyOf(users);
        this.dummy = dummy;
    }

    /**
     * Reads and validates {@code file}.
     *
     * @param key the configuration key that named the file, for error messages
     * @throws ConfigException if the file cannot be read, has a malformed line or a duplicate
     *     user, or names no user; the message names the key, the file and the line, never a hash
     */
    public static UsersFile load(String key, Path file)
    {
        List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (IOException | RuntimeException e)
        {
            throw new ConfigException(key, key + " names a users file that cannot be read: " + file
                + " (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, Credential> users = new LinkedHashMap<>();
        int maxCost = 0;
        for (int i = 0; i < lines.size(); i++)
        {
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF"))
                line = line.substring(1).strip();
            if (line.isEmpty() || line.startsWith("#"))
                continue;
            int colon = line.indexOf(':');
            if (colon <= 0)
                throw badLine(key, file, i + 1, "expected 'user:hash'");
            String user = line.substring(0, colon).strip();
            String hash = line.substring(colon + 1).strip();
            if (user.isEmpty())
                throw badLine(key, file, i + 1, "expected 'user:hash'");
            Credential credential = parseHash(hash);
            if (credential == null)
                throw badLine(key, file, i + 1, "unsupported password hash for user \"" + SecurityLog.escape(user)
                    + "\" (expected bcrypt $2y$/$2a$/$2b$ or {SHA256}+base64)");
            if (users.putIfAbsent(user, credential) != null)
                throw badLine(key, file, i + 1, "duplicate user \"" + SecurityLog.escape(user) + "\"");
            if (credential instanceof BcryptCredential bcrypt)
                maxCost = Math.max(maxCost, bcrypt.cost());
        }
        if (users.isEmpty())
            throw new ConfigException(key, key + " names a users file without any user: " + file);
        return new UsersFile(users, dummyCredential(maxCost));
    }

    /**
     * Checks a {@code Proxy-Authorization} header value of the form {@code Basic base64(user:pass)}.
     *
     * @return the user name if the credentials are valid; empty for anything else, including
     *     null, malformed or oversized values
     */
    public Optional<String> authenticate(String proxyAuthorizationHeader)
    {
        if (proxyAuthorizationHeader == null || proxyAuthorizationHeader.length() > MAX_HEADER_LENGTH)
            return Optional.empty();
        String cacheKey = Base64.getEncoder().encodeToString(sha256(proxyAuthorizationHeader.getBytes(StandardCharsets.UTF_8)));
        String cachedUser = verified.getIfPresent(cacheKey);
        if (cachedUser != null)
            return Optional.of(cachedUser);

        byte[] decoded = decodeBasic(proxyAuthorizationHeader);
        if (decoded == null)
            return Optional.empty();
        int colon = indexOf(decoded, (byte)':');
        if (colon <= 0)
            return Optional.empty();
        String user = new String(decoded, 0, colon, StandardCharsets.UTF_8);
        byte[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        Arrays.fill(decoded, (byte)0);
        try
        {
            Credential credential = users.get(user);
            if (credential == null)
            {
                // same work as for a real user, so timing does not reveal which users exist
                dummy.matches(password);
                return Optional.empty();
            }
            if (!credential.matches(password))
                return Optional.empty();
        }
        finally
        {
            Arrays.fill(password, (byte)0);
        }
        verified.put(cacheKey, user);
        return Optional.of(user);
    }

    /** Number of users in the file. */
    public int size()
    {
        return users.size();
    }

    /** Number of remembered successful header values (for tests). */
    long verifiedCount()
    {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private static byte[] decodeBasic(String header)
    {
        String value = header.strip();
        if (value.length() < 6 || !value.regionMatches(true, 0, "Basic", 0, 5) || value.charAt(5) != ' ')
            return null;
        String token = value.substring(6).strip();
        if (token.isEmpty())
            return null;
        try
        {
            return Base64.getDecoder().decode(token);
        }
        catch (IllegalArgumentException e)
        {
            return null;
        }
    }

    private static Credential parseHash(String hash)
    {
        if (BCRYPT.matcher(hash).matches())
            return new BcryptCredential(hash.getBytes(StandardCharsets.US_ASCII), Integer.parseInt(hash.substring(4, 6)));
        if (hash.startsWith(SHA256_PREFIX))
        {
            try
            {
                byte[] digest = Base64.getDecoder().decode(hash.substring(SHA256_PREFIX.length()));
                return digest.length == 32 ? new Sha256Credential(digest) : null;
            }
            catch (IllegalArgumentException e)
            {
                return null;
            }
        }
        return null;
    }

    private static Credential dummyCredential(int bcryptCost)
    {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        if (bcryptCost == 0)
            return new Sha256Credential(sha256(secret));
        byte[] hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hash(bcryptCost, secret);
        return new BcryptCredential(hash, bcryptCost);
    }

    private static ConfigException badLine(String key, Path file, int line, String reason)
    {
        return new ConfigException(key, key + ": " + file + " line " + line + ": " + reason);
    }

    private static int indexOf(byte[] bytes, byte b)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            if (bytes[i] == b)
                return i;
        }
        return -1;
    }

    static byte[] sha256(byte[] input)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(input);
        }
        catch (NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private interface Credential
    {
        boolean matches(byte[] password);
    }

    private record BcryptCredential(byte[] hash, int cost) implements Credential
    {
        @Override
        public boolean matches(byte[] password)
        {
            // htpasswd (Apache) uses the first 72 bytes of a longer password; do the same
            BCrypt.Result result = BCrypt.verifyer(BCRYPT_VERIFY_VERSION, LongPasswordStrategies.truncate(BCRYPT_VERIFY_VERSION))
                .verify(password, hash);
            return result.validFormat && result.verified;
        }
    }

    private record Sha256Credential(byte[] digest) implements Credential
    {
        @Override
        public boolean matches(byte[] password)
        {
            return MessageDigest.isEqual(sha256(password), digest);
        }
    }

    /** The {@code Proxy-Authenticate} value for a realm (servlet-free: the CONNECT handler uses it at server level too). */
    public static String challenge(String realm)
    {
        String escaped = realm.replace("\\", "\\\\").replace("\"", "\\\"");
        return "Basic realm=\"" + escaped + "\", charset=\"UTF-8\"";
    }
}
