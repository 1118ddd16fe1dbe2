package dev.gatehouse.websocket;

import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloseCodesTest
{
    @Test
    void passesSendableCodesAndReasonsOn()
    {
        CloseReason r = CloseCodes.forPeer(4001, "see you", true);
        assertEquals(4001, r.getCloseCode().getCode());
        assertEquals("see you", r.getReasonPhrase());
        assertEquals(1000, CloseCodes.forPeer(1000, "", false).getCloseCode().getCode());
        assertEquals(1011, CloseCodes.forPeer(1011, "oops", true).getCloseCode().getCode());
        assertEquals(1014, CloseCodes.forPeer(1014, "", true).getCloseCode().getCode());
    }

    @Test
    void replacesCodesThatDescribeALocalEvent()
    {
        assertEquals(1014, CloseCodes.forPeer(1006, null, true).getCloseCode().getCode(), "upstream vanished: bad gateway");
        assertEquals(1001, CloseCodes.forPeer(1006, null, false).getCloseCode().getCode(), "client vanished: going away");
        assertEquals(1000, CloseCodes.forPeer(1005, null, true).getCloseCode().getCode(), "no status: normal");
        assertEquals(1014, CloseCodes.forPeer(1015, null, true).getCloseCode().getCode());
        assertEquals(1001, CloseCodes.forPeer(2500, "x", false).getCloseCode().getCode(), "a reserved code is not passed on");
    }

    @Test
    void knowsWhichCodesMayBeSent()
    {
        assertTrue(CloseCodes.transmittable(1000));
        assertTrue(CloseCodes.transmittable(1009));
        assertTrue(CloseCodes.transmittable(3000));
        assertTrue(CloseCodes.transmittable(4999));
        assertFalse(CloseCodes.transmittable(999));
        assertFalse(CloseCodes.transmittable(1004));
        assertFalse(CloseCodes.transmittable(1005));
        assertFalse(CloseCodes.transmittable(1006));
        assertFalse(CloseCodes.transmittable(1015));
        assertFalse(CloseCodes.transmittable(5000));
    }

    @Test
    void trimsReasonsToWhatACloseFrameCarriesWithoutSplittingACharacter()
    {
        String ascii = "x".repeat(200);
        assertEquals(123, CloseCodes.trim(ascii).length());
        String euro = "€".repeat(60); // 3 bytes each: 41 fit in 123 bytes
        assertEquals(41, CloseCodes.trim(euro).length());
        String emoji = "😀".repeat(40); // 4 bytes each: 30 fit
        assertEquals(60, CloseCodes.trim(emoji).length(), "surrogate pairs are kept whole");
        assertEquals("", CloseCodes.trim(null));
        assertEquals("short", CloseCodes.trim("short"));
    }
}
