package dev.gatehouse.cli;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

/** An {@link AsyncListener} that runs one action when the exchange ends, however it ends. */
final class AsyncEnd implements AsyncListener
{
    private final Runnable action;

    AsyncEnd(Runnable action)
    {
        this.action = action;
    }

    @Override
    public void onComplete(AsyncEvent event)
    {
        action.run();
    }

    @Override
    public void onTimeout(AsyncEvent event)
    {
        action.run();
    }

    @Override
    public void onError(AsyncEvent event)
    {
        action.run();
    }

    @Override
    public void onStartAsync(AsyncEvent event)
    {
        // not restarted
    }
}
