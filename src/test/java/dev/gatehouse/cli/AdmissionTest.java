package dev.gatehouse.cli;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdmissionTest
{
    @Test
    void grantsUpToMaxThenQueuesThenRejects()
    {
        Admission a = new Admission(2, 1);
        List<String> started = new ArrayList<>();
        assertEquals(Admission.Result.GRANTED, a.acquire(() -> started.add("1")));
        assertEquals(Admission.Result.GRANTED, a.acquire(() -> started.add("2")));
        assertEquals(Admission.Result.QUEUED, a.acquire(() -> started.add("3")));
        assertEquals(Admission.Result.REJECTED, a.acquire(() -> started.add("4")));
        assertEquals(2, a.running());
        assertEquals(1, a.queued());
        a.release();
        assertEquals(List.of("3"), started, "the freed slot goes to the waiting request");
        assertEquals(2, a.running());
        a.release();
        a.release();
        assertEquals(0, a.running());
    }

    @Test
    void cancelledWaitersAreSkippedAndCloseRefusesEverything()
    {
        Admission a = new Admission(1, 2);
        a.acquire(() -> { });
        Runnable gone = () -> { throw new AssertionError("cancelled"); };
        Runnable left = () -> { };
        assertEquals(Admission.Result.QUEUED, a.acquire(gone));
        assertEquals(Admission.Result.QUEUED, a.acquire(left));
        assertTrue(a.cancel(gone));
        assertEquals(List.of(left), a.close());
        assertEquals(Admission.Result.REJECTED, a.acquire(() -> { }));
    }
}
