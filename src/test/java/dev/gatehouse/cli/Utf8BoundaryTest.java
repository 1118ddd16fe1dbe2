package dev.gatehouse.cli;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Utf8BoundaryTest
{
    @Test
    void keepsAnIncompleteSequenceForTheNextRead()
    {
        byte[] euro = "a\u20ac".getBytes(StandardCharsets.UTF_8); // 61 e2 82 ac
        Utf8Boundary b = new Utf8Boundary();
        assertEquals("a", new String(b.push(euro, 3), StandardCharsets.UTF_8));
        assertEquals("\u20ac", new String(b.push(new byte[] {(byte)0xac}, 1), StandardCharsets.UTF_8));
        assertEquals(0, b.flush().length);
    }

    @Test
    void everySplitPointOfFourByteCharactersDecodesCleanly()
    {
        byte[] text = "x\uD83D\uDE00y\u00e9z".getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= text.length; cut++)
        {
            Utf8Boundary b = new Utf8Boundary();
            byte[] first = new byte[cut];
            System.arraycopy(text, 0, first, 0, cut);
            byte[] second = new byte[text.length - cut];
            System.arraycopy(text, cut, second, 0, second.length);
            String s1 = new String(b.push(first, first.length), StandardCharsets.UTF_8);
            String s2 = new String(b.push(second, second.length), StandardCharsets.UTF_8);
            assertEquals("x\uD83D\uDE00y\u00e9z", s1 + s2, "cut at " + cut);
            assertEquals(-1, (s1 + s2).indexOf('\uFFFD'));
        }
    }

    @Test
    void passesInvalidBytesThroughForReplacementAndBase64()
    {
        Utf8Boundary b = new Utf8Boundary();
        assertArrayEquals(new byte[] {(byte)0xff, 0, 1}, b.push(new byte[] {(byte)0xff, 0, 1}, 3));
        assertArrayEquals(new byte[0], b.push(new byte[] {(byte)0xe2}, 1));
        assertArrayEquals(new byte[] {(byte)0xe2}, b.flush(), "a sequence cut by end of stream is still delivered");
    }

    @Test
    void completeLengthLooksBackAtMostThreeBytes()
    {
        assertEquals(4, Utf8Boundary.completeLength(new byte[] {(byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80}, 4));
        assertEquals(1, Utf8Boundary.completeLength(new byte[] {'a', (byte)0xf0, (byte)0x9f, (byte)0x98}, 4));
        assertEquals(5, Utf8Boundary.completeLength(new byte[] {'a', (byte)0xf0, (byte)0x9f, (byte)0x98, (byte)0x80}, 5));
    }
}
