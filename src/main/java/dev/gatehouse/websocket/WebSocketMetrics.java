package dev.gatehouse.websocket;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * WebSocket series, registered next to the proxy's own:
 * <ul>
 * <li>{@code gatehouse_websocket_sessions{route}} gauge: open sessions</li>
 * <li>{@code gatehouse_websocket_messages_total{route,direction}} and
 *     {@code gatehouse_websocket_bytes_total{route,direction}} counters; direction is
 *     {@code client_to_upstream} or {@code upstream_to_client}; text is counted in UTF-8 bytes</li>
 * <li>{@code gatehouse_websocket_closes_total{route,code,initiator}} counter; initiator is
 *     {@code client}, {@code upstream} or {@code proxy}</li>
 * </ul>
 * A session looks its data points up once, so relaying a message costs two counter increments.
 */
final class WebSocketMetrics
{
    static final String CLIENT_TO_UPSTREAM = "client_to_upstream";
    static final String UPSTREAM_TO_CLIENT = "upstream_to_client";

    private final ConcurrentHashMap<String, LongAdder> open = new ConcurrentHashMap<>();
    private final Counter messages;
    private final Counter bytes;
    private final Counter closes;

    WebSocketMetrics(PrometheusRegistry registry)
    {
        GaugeWithCallback.builder().name("gatehouse_websocket_sessions").help("Open WebSocket sessions")
            .labelNames("route")
            .callback(cb -> open.forEach((route, n) -> cb.call(n.sum(), route))).register(registry);
        messages = Counter.builder().name("gatehouse_websocket_messages").help("WebSocket messages relayed")
            .labelNames("route", "direction").withoutExemplars().register(registry);
        bytes = Counter.builder().name("gatehouse_websocket_bytes").help("WebSocket payload bytes relayed")
            .labelNames("route", "direction").withoutExemplars().register(registry);
        closes = Counter.builder().name("gatehouse_websocket_closes").help("WebSocket sessions closed, by close code")
            .labelNames("route", "code", "initiator").withoutExemplars().register(registry);
    }

    /** The counters of one direction of one route. */
    Direction direction(String route, String direction)
    {
        return new Direction(messages.labelValues(route, direction), bytes.labelValues(route, direction));
    }

    void opened(String route)
    {
        open.computeIfAbsent(route, r -> new LongAdder()).increment();
    }

    void closed(String route, int code, String initiator)
    {
        open.computeIfAbsent(route, r -> new LongAdder()).decrement();
        closes.labelValues(route, Integer.toString(code), initiator).inc();
    }

    record Direction(CounterDataPoint messages, CounterDataPoint bytes)
    {
    }
}
