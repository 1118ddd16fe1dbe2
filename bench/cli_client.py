"""Client side of bench/cli.sh: streams NDJSON from /cli/execute and measures delays (milliseconds)."""
import http.client
import json
import sys
import threading
import time
import urllib.parse


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def summary(values):
    return "p50 %.2f  p95 %.2f  p99 %.2f  max %.2f  (n=%d)" % (pct(values, 50), pct(values, 95), pct(values, 99), max(values), len(values))


def execute(base, body, on_event):
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    t0 = time.perf_counter()
    conn.request("POST", url.path + "/execute", json.dumps(body), {"Content-Type": "application/json"})
    resp = conn.getresponse()
    first_byte = None
    while True:
        line = resp.readline()
        if not line:
            break
        if first_byte is None:
            first_byte = time.perf_counter()
        event = json.loads(line)
        if on_event(event, t0) is False:
            break
    conn.close()
    return (first_byte - t0) * 1000.0


def time_to_first_output(base, runs):
    ttfb, first_out = [], []
    for i in range(runs + 10):
        seen = {}

        def on_event(e, t0):
            if e["type"] == "stdout" and "t" not in seen:
                seen["t"] = (time.perf_counter() - t0) * 1000.0

        fb = execute(base, {"command": "echo", "args": ["hi"]}, on_event)
        if i >= 10:  # warm-up excluded
            ttfb.append(fb)
            first_out.append(seen["t"])
    return ttfb, first_out


def ticker(base, script, ticks, interval, out):
    def on_event(e, t0):
        if e["type"] == "stdout":
            now = time.time_ns()
            for line in e["data"].splitlines():
                out.append((now - int(line)) / 1e6)

    execute(base, {"command": "ticker", "args": [script, str(ticks), str(interval)]}, on_event)


def main():
    base, script, runs, ticks, interval, streams = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
    ttfb, first_out = time_to_first_output(base, runs)
    print("echo hi, time to first byte:         " + summary(ttfb))
    print("echo hi, time to first stdout event: " + summary(first_out))
    single = []
    ticker(base, script, ticks, interval, single)
    print("1 stream, write-to-client latency:   " + summary(single))
    results = [[] for _ in range(streams)]
    threads = [threading.Thread(target=ticker, args=(base, script, ticks, interval, results[i])) for i in range(streams)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [v for r in results for v in r]
    print("%d streams, write-to-client latency:  %s" % (streams, summary(everything)))
    print("%d streams, per-stream p95 range:     %.2f .. %.2f" % (streams, min(pct(r, 95) for r in results), max(pct(r, 95) for r in results)))


if __name__ == "__main__":
    main()
