package dev.gatehouse.config;

import java.time.Duration;

/**
 * Upstream timeouts: the global ones ({@code timeouts.*}) and a route's ({@code routes.<name>.timeouts.*},
 * each inheriting the global value).
 *
 * @param connect connecting to the upstream
 * @param idle    the longest silence of the upstream side of an exchange
 * @param request the whole exchange; zero = none
 */
public record Timeouts(Duration connect, Duration idle, Duration request)
{
}
