package dev.gatehouse.cli;

import java.util.Arrays;

/**
 * Cuts a byte stream into chunks that never end inside a UTF-8 sequence: an incomplete sequence at
 * the end of a read (at most 3 bytes) is kept and put in front of the next read. Each chunk can then
 * be decoded on its own (invalid bytes become U+FFFD) and, concatenated, the chunks are exactly the
 * bytes read, so the same chunks serve text and base64 events. One instance per stream; not thread-safe.
 */
final class Utf8Boundary
{
    private static final byte[] EMPTY = new byte[0];
    private byte[] carry = EMPTY;

    /** The bytes to emit now for {@code n} bytes read into {@code buf} (possibly empty). */
    byte[] push(byte[] buf, int n)
    {
        byte[] all;
        if (carry.length == 0)
            all = Arrays.copyOf(buf, n);
        else
        {
            all = Arrays.copyOf(carry, carry.length + n);
            System.arraycopy(buf, 0, all, carry.length, n);
        }
        int complete = completeLength(all, all.length);
        carry = complete == all.length ? EMPTY : Arrays.copyOfRange(all, complete, all.length);
        return complete == all.length ? all : Arrays.copyOf(all, complete);
    }

    /** At end of stream: what is still kept (an incomplete sequence, decoded as U+FFFD). */
    byte[] flush()
    {
        byte[] rest = carry;
        carry = EMPTY;
        return rest;
    }

    /** The length of the longest prefix of {@code b[0..len)} that does not end inside a multi-byte sequence. */
    static int completeLength(byte[] b, int len)
    {
        for (int i = len - 1; i >= Math.max(0, len - 3); i--)
        {
            int c = b[i] & 0xff;
            if ((c & 0xc0) == 0x80)
                continue; // continuation byte: look further back for its lead
            int need = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
            return len - i < need ? i : len;
        }
        return len; // ASCII, or only continuation bytes: invalid either way, the decoder replaces them
    }
}
