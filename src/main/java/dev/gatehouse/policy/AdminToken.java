package dev.gatehouse.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the {@code Authorization: Bearer <token>} header of admin actions against the configured
 * token. No configured token means admin actions are disabled, never open.
 */
public final class AdminToken
{
    private static final String SCHEME = "Bearer";

    private AdminToken()
    {
    }

    /**
     * True only when a token is configured and the header carries exactly that token with the
     * {@code Bearer} scheme (scheme case-insensitive). The comparison takes the same time for every
     * token of a given presented length, so it does not reveal how much of a guess was right.
     */
    public static boolean matches(String configuredToken, String authorizationHeader)
    {
        if (configuredToken == null || configuredToken.isEmpty() || authorizationHeader == null)
            return false;
        String value = authorizationHeader.strip();
        int schemeLength = SCHEME.length();
        if (value.length() <= schemeLength + 1
            || !value.regionMatches(true, 0, SCHEME, 0, schemeLength)
            || value.charAt(schemeLength) != ' ')
            return false;
        String presented = value.substring(schemeLength + 1).strip();
        if (presented.isEmpty())
            return false;
        // isEqual's running time depends on the first argument's length only: the presented token
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), configuredToken.getBytes(StandardCharsets.UTF_8));
    }
}
