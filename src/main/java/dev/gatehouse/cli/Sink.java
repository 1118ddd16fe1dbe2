package dev.gatehouse.cli;

/** Where a run's events go: a streaming client, or the collector of a {@code stream:false} request. */
interface Sink
{
    /** Queues an event (called under the run's lock, so sinks see events in order). Never blocks. */
    void enqueue(Event event);

    /** Starts delivering what is queued; called without the run's lock. */
    void deliver();

    /** Blocks the calling output reader while this sink's backlog is over its bound (backpressure). */
    void awaitCapacity() throws InterruptedException;

    /** No more events will come: finish the response once the queue is delivered. */
    void end();
}
