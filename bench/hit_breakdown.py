#!/usr/bin/env python3
"""Where a cache hit's CPU goes, in samples per request, from async-profiler collapsed stacks
(bench/profile.sh cache small.txt): each sample goes to the first category below whose frames it
contains, so a sample counts once. Give a second profile (the bare Jetty servlet of
bench/jetty-stock, `anchor.Hello servlet`) to print the two side by side.

    python3 bench/hit_breakdown.py HIT.collapsed HIT_REQUESTS [OTHER.collapsed OTHER_REQUESTS]

HIT_REQUESTS is the number of requests served while the profile was taken (requests/s under the
profiler times the seconds profiled); one sample is one sampling interval of CPU.
"""
import sys
from collections import Counter


def has(frames, *parts):
    return any(p in f for f in frames for p in parts)


def request_id(frames):
    if has(frames, "dev/gatehouse/http/RequestIds", "TraceContext"):
        return True
    # RequestIdFilter's own frames (MDC, its header), not the chain it hands on to
    ids = [i for i, f in enumerate(frames) if "RequestIdFilter.doFilter" in f]
    return bool(ids) and not has(frames[ids[0] + 1:], "ServletHandler$Chain.doFilter")


def servlet_layer(frames):
    # Jetty's request handling around the servlet: no Gatehouse frame below ServletChannel.handle
    # (Gatehouse's connect and drain handlers sit above it)
    channel = [i for i, f in enumerate(frames) if "ServletChannel.handle" in f]
    return bool(channel) and not has(frames[channel[0] + 1:], "dev/gatehouse")


CATEGORIES = [
    ("access log: the log thread (JSON encoding, timestamp, write)",
     lambda f: has(f, "logback", "logstash", "lmax") and not has(f, "dev/gatehouse/filter")),
    ("access log: the record on the request thread (line, metrics, response length)",
     lambda f: has(f, "AccessLogFilter$Recorder", "AccessLogFilter.record")),
    ("request id, trace context, MDC", request_id),
    ("stored fields, Age, cache status on the response",
     lambda f: has(f, "CachedResponseWriter.headers", "CacheHeaders.status")
     or (has(f, "CachedResponseWriter.write") and has(f, "setHeader") and not has(f, "writeBody"))),
    ("compression decision", lambda f: has(f, "CachedResponseWriter.compressed")),
    ("writing the response (commit, header block, body, write)", lambda f: has(f, "CachedResponseWriter.writeBody")),
    ("security headers", lambda f: has(f, "SecurityHeadersFilter")),
    ("ACL, proxy auth, rate limit, size limits, destination policy",
     lambda f: has(f, "AccessControlFilter", "ProxyAuthFilter", "RateLimitFilter", "RequestLimitsFilter",
                   "DestinationPolicyFilter", "ClientAddress")),
    ("routing (Dispatch), configuration snapshot", lambda f: has(f, "routing/Dispatch.", "Snapshot.of", "PolicyFilter.snapshot")),
    ("cache lookup: key, entry, freshness, answer", lambda f: has(f, "CacheFilter.lookup")),
    ("Jetty: servlet layer outside the filters (the bare servlet: its handling and its write)", servlet_layer),
    ("filter chain hops, other Gatehouse frames", lambda f: has(f, "dev/gatehouse") and has(f, "ServletChannel.handle")),
    ("Jetty: connection, request parsing, selector, thread pool", lambda f: has(f, "org/eclipse/jetty")),
    ("JVM (JIT, GC), other", lambda f: True),
]


def breakdown(path):
    counts = Counter()
    for line in open(path):
        stack, n = line.rstrip("\n").rsplit(" ", 1)
        frames = stack.split(";")
        for name, test in CATEGORIES:
            if test(frames):
                counts[name] += int(n)
                break
    return counts


def main(args):
    if len(args) not in (2, 4):
        sys.exit(__doc__)
    runs = [(breakdown(args[i]), float(args[i + 1])) for i in range(0, len(args), 2)]
    for name, _ in CATEGORIES:
        print("%-88s" % name + "".join("%8.3f" % (c[name] / r) for c, r in runs))
    print("%-88s" % "total" + "".join("%8.3f" % (sum(c.values()) / r) for c, r in runs))


if __name__ == "__main__":
    main(sys.argv[1:])
