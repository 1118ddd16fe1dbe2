package dev.gatehouse.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * At most {@code max} runs at once; up to {@code queue} more wait (without a thread) and start,
 * in arrival order, as running ones end. Beyond that a run is refused.
 */
final class Admission
{
    enum Result { GRANTED, QUEUED, REJECTED }

    private final int max;
    private final int queue;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;
    private boolean closed;

    Admission(int max, int queue)
    {
        this.max = max;
        this.queue = queue;
    }

    /** GRANTED: the caller holds a slot now. QUEUED: {@code whenGranted} runs later, holding a slot. */
    synchronized Result acquire(Runnable whenGranted)
    {
        if (closed)
            return Result.REJECTED;
        if (running < max)
        {
            running++;
            return Result.GRANTED;
        }
        if (waiting.size() < queue)
        {
            waiting.add(whenGranted);
            return Result.QUEUED;
        }
        return Result.REJECTED;
    }

    /** Withdraws a queued request (its client went away). True if it was still waiting. */
    synchronized boolean cancel(Runnable whenGranted)
    {
        return waiting.remove(whenGranted);
    }

    /** Frees a slot: hands it to the oldest waiting request, if any (run on the calling thread). */
    void release()
    {
        Runnable next;
        synchronized (this)
        {
            next = closed ? null : waiting.poll();
            if (next == null)
                running--;
        }
        if (next != null)
            next.run();
    }

    /** Refuses everything from now on; returns the requests that were waiting. */
    synchronized List<Runnable> close()
    {
        closed = true;
        List<Runnable> left = new ArrayList<>(waiting);
        waiting.clear();
        return left;
    }

    synchronized int running()
    {
        return running;
    }

    synchronized int queued()
    {
        return waiting.size();
    }
}
