package dev.gatehouse.cli;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.gatehouse.observe.GatehouseMetrics;

/**
 * The CLI's metrics in the shared Dropwizard registry (and so in Prometheus, through the bridge):
 * {@code gatehouse.cli.runs.started.<command>} and {@code gatehouse.cli.runs.finished.<command>.<reason>}
 * counters, {@code gatehouse.cli.runs.running} and {@code .queued} gauges, the
 * {@code gatehouse.cli.runs.duration-seconds} timer (histogram of run durations), the
 * {@code gatehouse.cli.output-bytes} meter (output bytes read from programs) and
 * {@code gatehouse.cli.rejections.<reason>} counters (also counted in {@code gatehouse_rejections_total}).
 */
final class CliMetrics
{
    private final MetricRegistry registry;
    private final GatehouseMetrics observability;
    private final Timer duration;
    private final Meter bytesOut;

    CliMetrics(MetricRegistry registry, GatehouseMetrics observability, IntSupplier running, IntSupplier queued)
    {
        this.registry = registry;
        this.observability = observability;
        this.duration = registry.timer("gatehouse.cli.runs.duration-seconds");
        this.bytesOut = registry.meter("gatehouse.cli.output-bytes");
        registry.register("gatehouse.cli.runs.running", (Gauge<Integer>)running::getAsInt);
        registry.register("gatehouse.cli.runs.queued", (Gauge<Integer>)queued::getAsInt);
    }

    void started(String command)
    {
        registry.counter(MetricRegistry.name("gatehouse.cli.runs.started", command)).inc();
    }

    void finished(String command, String reason, long durationMs)
    {
        registry.counter(MetricRegistry.name("gatehouse.cli.runs.finished", command, reason)).inc();
        duration.update(durationMs, TimeUnit.MILLISECONDS);
    }

    void bytesOut(long n)
    {
        bytesOut.mark(n);
    }

    void rejected(String reason)
    {
        registry.counter(MetricRegistry.name("gatehouse.cli.rejections", reason)).inc();
        observability.rejection(reason);
    }
}
