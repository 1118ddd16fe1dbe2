package dev.gatehouse.websocket;

import java.nio.charset.StandardCharsets;

import jakarta.websocket.CloseReason;

/**
 * What one leg is told when the other closes. A close code the peer sent is passed on as it is
 * (reason included, trimmed to what a close frame can carry); codes that only describe a local
 * event (1005 no status, 1006 abnormal, 1015 TLS failure) and codes a peer must not send are
 * replaced: the upstream vanishing becomes 1014 (bad gateway) to the client, the client
 * vanishing becomes 1001 (going away) to the upstream.
 */
final class CloseCodes
{
    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int NO_STATUS = 1005;
    static final int ABNORMAL = 1006;
    static final int TOO_BIG = 1009;
    static final int INTERNAL = 1011;
    static final int BAD_GATEWAY = 1014;
    /** A close frame's reason is at most 123 bytes of UTF-8. */
    private static final int MAX_REASON_BYTES = 123;

    private CloseCodes()
    {
    }

    /**
     * The close to send to the other leg.
     *
     * @param code         the code the closing leg reported
     * @param reason       its reason (may be null)
     * @param fromUpstream true when the upstream leg closed, false when the client's did
     */
    static CloseReason forPeer(int code, String reason, boolean fromUpstream)
    {
        if (code == NO_STATUS)
            return reason(NORMAL, "");
        if (transmittable(code))
            return reason(code, reason);
        return fromUpstream ? reason(BAD_GATEWAY, "Upstream connection lost") : reason(GOING_AWAY, "Client went away");
    }

    /** Codes an endpoint may put in a close frame (RFC 6455 §7.4, IANA registry, 3000-4999 for applications). */
    static boolean transmittable(int code)
    {
        if (code >= 3000 && code <= 4999)
            return true;
        return code >= 1000 && code <= 1014 && code != 1004 && code != NO_STATUS && code != ABNORMAL;
    }

    static CloseReason reason(int code, String reason)
    {
        return new CloseReason(CloseReason.CloseCodes.getCloseCode(code), trim(reason));
    }

    /** At most 123 bytes of UTF-8, cut between characters. */
    static String trim(String reason)
    {
        if (reason == null || reason.isEmpty())
            return "";
        if (reason.length() * 3 <= MAX_REASON_BYTES || reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES)
            return reason;
        int bytes = 0;
        int i = 0;
        while (i < reason.length())
        {
            int cp = reason.codePointAt(i);
            int n = Utf8.length(cp);
            if (bytes + n > MAX_REASON_BYTES)
                break;
            bytes += n;
            i += Character.charCount(cp);
        }
        return reason.substring(0, i);
    }
}
