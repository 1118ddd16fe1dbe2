package dev.gatehouse.http;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): meant for one connection, never relayed by the proxy
 * nor stored by its cache.
 */
public final class HopByHop
{
    private HopByHop()
    {
    }

    /** The fixed hop-by-hop headers, plus Proxy-Connection and Keep-Alive. */
    public static boolean is(HttpField field)
    {
        HttpHeader header = field.getHeader();
        if (header == null)
            return false;
        return switch (header)
        {
            case CONNECTION, KEEP_ALIVE, PROXY_AUTHORIZATION, PROXY_AUTHENTICATE, PROXY_CONNECTION, TRANSFER_ENCODING, TE, TRAILER, UPGRADE -> true;
            default -> false;
        };
    }

    /**
     * Header names a message lists in {@code Connection} (hop-by-hop for that message), lower
     * case, or null when there are none besides {@code close} / {@code keep-alive}.
     */
    public static Set<String> connectionListed(HttpFields fields)
    {
        Set<String> names = null;
        for (HttpField field : fields)
        {
            if (field.getHeader() != HttpHeader.CONNECTION)
                continue;
            for (String token : field.getValues())
            {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (name.isEmpty() || name.equals("close") || name.equals("keep-alive"))
                    continue;
                if (names == null)
                    names = new HashSet<>();
                names.add(name);
            }
        }
        return names;
    }
}
