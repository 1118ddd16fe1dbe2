#!/usr/bin/env python3
"""Summarises async-profiler collapsed stacks (bench/profile.sh): the share of CPU samples by
who caused the work, and the hottest frames.

Each sample is charged to its owner. A sample whose innermost Gatehouse frame is doing its own
work (not handing on to the filter chain, the proxy servlet's super methods or the HTTP client)
is Gatehouse's, including the JDK, Jetty utility and kernel code that work calls (a request
attribute lookup through Jetty's request wrappers counts for Gatehouse). Any other sample goes to
the first frame of a known component walking from the leaf towards the root (JDK, kernel and
libc frames are charged to whoever called them: the kernel time of a socket write counts for the
Jetty code that wrote). Kernel time is also shown on its own.

    python3 bench/profile_summary.py profile.collapsed
"""
import sys
from collections import Counter

SKIP = ("java/", "javax/", "jdk/", "sun/", "com/sun/")
# what a Gatehouse frame calls to hand the exchange on: the work below it is not Gatehouse's
HANDOFF = ("jakarta/servlet/", "org/eclipse/jetty/ee10/servlet/FilterHolder", "org/eclipse/jetty/ee10/servlet/ServletHandler",
           "org/eclipse/jetty/ee10/servlet/ServletHolder", "org/eclipse/jetty/ee10/proxy/", "org/eclipse/jetty/client/",
           "org/eclipse/jetty/server/handler/ConnectHandler", "org/eclipse/jetty/server/Handler")
GATEHOUSE = "Gatehouse: filters, routing, headers, metrics, access-log record"


# (prefix of the frame, owner), most specific first
OWNERS = [
    ("dev/gatehouse/", GATEHOUSE),
    ("io/github/resilience4j/", "Gatehouse: libraries it calls (resilience4j, metrics, caches)"),
    ("com/codahale/", "Gatehouse: libraries it calls (resilience4j, metrics, caches)"),
    ("io/dropwizard/", "Gatehouse: libraries it calls (resilience4j, metrics, caches)"),
    ("io/prometheus/", "Gatehouse: libraries it calls (resilience4j, metrics, caches)"),
    ("com/github/benmanes/", "Gatehouse: libraries it calls (resilience4j, metrics, caches)"),
    ("io/github/bucket4j/", "Gatehouse: libraries it calls (resilience4j, metrics, caches)"),
    ("ch/qos/logback/", "logging thread (JSON encoding, writing)"),
    ("net/logstash/", "logging thread (JSON encoding, writing)"),
    ("tools/jackson/", "logging thread (JSON encoding, writing)"),
    ("org/eclipse/jetty/ee10/proxy/", "Jetty proxy servlet (AsyncMiddleManServlet)"),
    ("org/eclipse/jetty/client/", "Jetty HTTP client (upstream leg)"),
    ("org/eclipse/jetty/http/", "Jetty HTTP parsing and generation"),
    ("org/eclipse/jetty/ee10/servlet/", "Jetty server and servlet layers"),
    ("org/eclipse/jetty/server/", "Jetty server and servlet layers"),
    ("org/eclipse/jetty/io/", "Jetty I/O, selectors, thread pool (incl. socket syscalls)"),
    ("org/eclipse/jetty/util/", "Jetty I/O, selectors, thread pool (incl. socket syscalls)"),
    ("org/eclipse/jetty/", "Jetty, other"),
]

def owner(frames):
    for i in range(len(frames) - 1, -1, -1):
        if frames[i].startswith("dev/gatehouse/"):
            below = frames[i + 1] if i + 1 < len(frames) else ""
            if not below.startswith(HANDOFF):
                return GATEHOUSE
            break
    for frame in reversed(frames):
        if frame.endswith("_[k]") or frame.startswith(SKIP) or "/" not in frame:
            continue
        for prefix, name in OWNERS:
            if frame.startswith(prefix):
                return name
        return "other Java code"
    # only JDK / native frames: JIT compiler, GC, VM threads, idle spinning
    joined = ";".join(frames)
    if "GC" in joined or "G1" in joined:
        return "JVM: garbage collection"
    if "Compile" in joined or "C2" in joined or "C1" in joined:
        return "JVM: JIT compiler"
    return "JVM and JDK, other (threads parking, VM)"


def main(path):
    owners, leaves = Counter(), Counter()
    total = kernel = 0
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            n = int(count)
            frames = stack.split(";")
            total += n
            if frames[-1].endswith("_[k]"):
                kernel += n
            owners[owner(frames)] += n
            leaves[frames[-1]] += n
    if not total:
        sys.exit("no samples in " + path)
    print(f"\n{total} samples; kernel (syscalls, scheduler, loopback TCP) {100 * kernel / total:.1f}% of them")
    print("\nshare of samples by owner (kernel and JDK time charged to the caller):")
    for name, n in owners.most_common():
        print(f"  {100 * n / total:5.1f}%  {name}")
    print("\nhottest frames (self time):")
    for frame, n in leaves.most_common(15):
        print(f"  {100 * n / total:5.1f}%  {frame}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
