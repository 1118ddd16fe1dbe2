package dev.gatehouse.support;

/**
 * The pause between two checks of a condition the test polls for. A test polls where nothing can
 * signal it (another process, a counter inside the server); it sleeps a millisecond between checks
 * instead of spinning, so that on a small, busy machine the server under test keeps the CPU.
 */
public final class Poll
{
    private Poll()
    {
    }

    public static void pause()
    {
        try
        {
            Thread.sleep(1);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling", x);
        }
    }
}
