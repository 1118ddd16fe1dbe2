package dev.gatehouse.websocket;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Utf8Test
{
    @Test
    void countsWhatTheEncoderWrites()
    {
        for (String s : new String[]{"", "ascii", "héllo", "€uro", "日本語", "😀 emoji", "a\uD800b" /* lone surrogate */})
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Utf8.length(s), s);
    }
}
