package dev.gatehouse.websocket;

/** UTF-8 sizes without encoding: text messages are counted in the bytes they take on the wire. */
final class Utf8
{
    private Utf8()
    {
    }

    static long length(CharSequence s)
    {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++)
        {
            char c = s.charAt(i);
            if (c < 0x80)
                n++;
            else if (c < 0x800)
                n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1)))
            {
                n += 4;
                i++;
            }
            else if (Character.isSurrogate(c))
                n++; // a lone surrogate is encoded as '?'
            else
                n += 3;
        }
        return n;
    }

    static int length(int codePoint)
    {
        if (codePoint < 0x80)
            return 1;
        if (codePoint < 0x800)
            return 2;
        return codePoint < 0x10000 ? 3 : 4;
    }
}
