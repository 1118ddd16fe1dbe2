#!/usr/bin/env bash
# Gatehouse capacity checks that wrk does not cover:
#
#   bench/capacity.sh tunnel   a 1 GiB download through a CONNECT tunnel vs the same download direct,
#                              and through the relays users would pick instead when installed: a
#                              Squid CONNECT tunnel, HAProxy relaying TCP in user space (no splice)
#                              and HAProxy with splice() (kernel zero-copy, which the JVM cannot use)
#   bench/capacity.sh idle     N idle keep-alive client connections held open: Gatehouse's RSS and heap
#   bench/capacity.sh soak     the reverse path at half its maximum rate for SOAK_MIN minutes: the heap
#                              after a full GC, sampled every minute, must stay flat (no leak)
#   bench/capacity.sh          tunnel and idle
#
# All on 127.0.0.1 and free ports: an nginx origin serving a 1 GiB file, and Gatehouse
# (target/gatehouse.jar, or GATEHOUSE_JAR). Needs nginx, curl, python3 and Java 17; installs nothing.
#
# Environment: SIZE_MB [1024] (tunnel file size), IDLE [10000] (idle connections), JAVA_OPTS [],
#              SOAK_MIN [10] (soak minutes; needs wrk and h2load from nghttp2-client),
#              SOAK_WARMUP [60s] (full load before the maximum rate is measured),
#              ROUNDS [3] (tunnel rounds; the medians are printed), KEEP_TMP [0].
set -u -o pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
mode=${1:-all}
SIZE_MB=${SIZE_MB:-1024}
SOAK_MIN=${SOAK_MIN:-10}
SOAK_WARMUP=${SOAK_WARMUP:-60s}
IDLE=${IDLE:-10000}
ROUNDS=${ROUNDS:-3}
JAVA_OPTS=${JAVA_OPTS:-}
KEEP_TMP=${KEEP_TMP:-0}
JAR=${GATEHOUSE_JAR:-$repo/target/gatehouse.jar}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
die() { echo "capacity: $*" >&2; exit 1; }
[[ -x $NGINX ]] || die "nginx is missing (apt-get install -y nginx)"
command -v curl >/dev/null || die "curl is missing"
command -v python3 >/dev/null || die "python3 is missing"
[[ -f $JAR ]] || die "$JAR is missing: mvn -q -DskipTests package"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-capacity.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; [[ $KEEP_TMP == 1 ]] || rm -rf "$TMP"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ORIGIN=$(free_port); PROXY=$(free_port); ADMIN=$(free_port)
mkdir -p "$TMP/www" "$TMP/nginx-tmp"
USER_LINE=; ((EUID == 0)) && USER_LINE="user $(id -un) $(id -gn);"
cat > "$TMP/origin.conf" <<CONF
$USER_LINE
worker_processes 1; daemon off; pid $TMP/origin.pid; error_log $TMP/origin-error.log warn;
events { worker_connections 1024; }
http { access_log off; sendfile on; client_body_temp_path $TMP/nginx-tmp;
  server { listen 127.0.0.1:$ORIGIN; root $TMP/www; } }
CONF

start_gatehouse() {
  java $JAVA_OPTS -jar "$JAR" --proxy.port="$PROXY" --admin.port="$ADMIN" --ssrf.allow=127.0.0.1 \
    --connect.allowed-ports="$ORIGIN" --timeouts.idle=300s --log.access.enabled=false \
    --routes=bench --routes.bench.targets="http://127.0.0.1:$ORIGIN" > "$TMP/gatehouse.log" 2>&1 &
  GH=$!; pids+=("$GH")
  for _ in $(seq 1 240); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ADMIN/health/readiness") == 200 ]] && return 0
    sleep 0.25
  done
  tail -20 "$TMP/gatehouse.log" >&2; die "gatehouse did not start"
}

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

tunnel() {
  echo "== tunnel: ${SIZE_MB} MiB through CONNECT vs direct (median of $ROUNDS)"
  head -c $((SIZE_MB * 1048576)) /dev/zero > "$TMP/www/big.bin"
  "$NGINX" -p "$TMP/" -c "$TMP/origin.conf" > "$TMP/origin.out" 2>&1 & pids+=($!)
  sleep 0.5
  start_relays
  local direct=() tunneled=() squid=() tcp=() splice=() t
  for ((i = 1; i <= ROUNDS; i++)); do
    t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$ORIGIN/big.bin"); direct+=("$t")
    t=$(curl -s -o /dev/null -w '%{time_total}' -p -x "http://127.0.0.1:$PROXY" "http://127.0.0.1:$ORIGIN/big.bin"); tunneled+=("$t")
    local line="round $i: direct ${direct[-1]} s, gatehouse tunnel ${tunneled[-1]} s"
    if [[ -n $SQUID_PORT ]]; then
      t=$(curl -s -o /dev/null -w '%{time_total}' -p -x "http://127.0.0.1:$SQUID_PORT" "http://127.0.0.1:$ORIGIN/big.bin"); squid+=("$t")
      line+=", squid tunnel $t s"
    fi
    if [[ -n $TCP_PORT ]]; then
      t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$TCP_PORT/big.bin"); tcp+=("$t")
      t2=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$SPLICE_PORT/big.bin"); splice+=("$t2")
      line+=", haproxy tcp $t s, haproxy tcp+splice $t2 s"
    fi
    echo "$line"
  done
  local d
  d=$(median "${direct[@]}")
  report() { # name times...
    local name=$1; shift
    awk -v d="$d" -v g="$(median "$@")" -v mb="$SIZE_MB" -v n="$name" 'BEGIN{ printf "median: %-24s %.2f s (%.0f MiB/s), time / direct %.2f\n", n, g, mb/g, g/d }'
  }
  report "direct" "${direct[@]}"
  report "gatehouse CONNECT" "${tunneled[@]}"
  ((${#squid[@]})) && report "squid CONNECT" "${squid[@]}"
  ((${#tcp[@]})) && report "haproxy tcp (user space)" "${tcp[@]}"
  ((${#splice[@]})) && report "haproxy tcp + splice" "${splice[@]}"
  return 0
}

SQUID_PORT= TCP_PORT= SPLICE_PORT=
start_relays() { # the relays to compare the tunnel with, when installed
  local squid haproxy
  squid=$(command -v squid || true); haproxy=$(command -v haproxy || true)
  if [[ -n $squid ]]; then
    SQUID_PORT=$(free_port)
    cat > "$TMP/squid.conf" <<CONF
http_port 127.0.0.1:$SQUID_PORT
acl localnet src 127.0.0.0/8
acl CONNECT method CONNECT
http_access allow localnet
http_access deny all
cache deny all
access_log none
cache_log $TMP/squid-cache.log
pid_filename $TMP/squid.pid
coredump_dir $TMP
workers 1
shutdown_lifetime 1 seconds
CONF
    "$squid" -N -f "$TMP/squid.conf" > "$TMP/squid.out" 2>&1 & pids+=($!)
  fi
  if [[ -n $haproxy ]]; then
    TCP_PORT=$(free_port); SPLICE_PORT=$(free_port)
    cat > "$TMP/haproxy.cfg" <<CONF
global
  maxconn 100
  nbthread 1
defaults
  mode tcp
  timeout connect 5s
  timeout client 300s
  timeout server 300s
frontend userspace
  bind 127.0.0.1:$TCP_PORT
  default_backend origin
frontend spliced
  bind 127.0.0.1:$SPLICE_PORT
  option splice-auto
  default_backend origin_spliced
backend origin
  server o 127.0.0.1:$ORIGIN
backend origin_spliced
  option splice-auto
  server o 127.0.0.1:$ORIGIN
CONF
    "$haproxy" -db -f "$TMP/haproxy.cfg" > "$TMP/haproxy.out" 2>&1 & pids+=($!)
  fi
  local deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    local ok=1
    [[ -n $SQUID_PORT && $(curl -s -o /dev/null -w '%{http_code}' -p -x "http://127.0.0.1:$SQUID_PORT" "http://127.0.0.1:$ORIGIN/") == 000 ]] && ok=0
    [[ -n $TCP_PORT && $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$TCP_PORT/") == 000 ]] && ok=0
    ((ok)) && return 0
    sleep 0.25
  done
  echo "capacity: a comparison relay did not start (squid: $TMP/squid.out, haproxy: $TMP/haproxy.out)" >&2
}

idle() {
  echo "== idle: $IDLE keep-alive connections, each after one request"
  rss() { awk '/VmRSS/{print int($2/1024)}' /proc/"$GH"/status; }
  heap() { curl -s "http://127.0.0.1:$ADMIN/admin/metrics" | python3 -c 'import json,sys; g=json.load(sys.stdin)["gauges"]; print(int(g["jvm.memory.heap.used"]["value"]/1048576))'; }
  echo "before: rss $(rss) MiB, heap used $(heap) MiB"
  python3 - "$PROXY" "$IDLE" "$TMP/held" <<'PY' &
import socket, sys, time, os, selectors
port, n, flag = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
socks = []
req = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(req)
    socks.append(s)
ok = 0
for s in socks:
    s.settimeout(30)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    ok += data.startswith(b"HTTP/1.1 ")
open(flag, "w").write(str(ok))
time.sleep(3600)
PY
  local client=$!; pids+=("$client")
  for _ in $(seq 1 600); do [[ -f $TMP/held ]] && break; sleep 0.5; done
  [[ -f $TMP/held ]] || die "the client did not open its connections"
  echo "answered: $(cat "$TMP/held") of $IDLE; open connections per Gatehouse: $(curl -s "http://127.0.0.1:$ADMIN/metrics" | awk '/^gatehouse_active_connections /{print $2}')"
  curl -s -o /dev/null "http://127.0.0.1:$ADMIN/admin/threads" # settle
  echo "holding: rss $(rss) MiB, heap used $(heap) MiB, threads $(ls /proc/"$GH"/task | wc -l)"
  kill "$client" 2>/dev/null
}

soak() {
  command -v wrk >/dev/null && command -v h2load >/dev/null || die "soak needs wrk and h2load (apt-get install -y wrk nghttp2-client)"
  head -c 64 /dev/urandom | base64 | head -c 64 > "$TMP/www/small.txt"
  "$NGINX" -p "$TMP/" -c "$TMP/origin.conf" > "$TMP/origin.out" 2>&1 & pids+=($!)
  sleep 0.5
  local max half conns=10 heap_after_gc
  # warm-up: the JIT needs about a minute of full load on this machine before the rate is the steady one
  wrk -t1 -c50 -d"$SOAK_WARMUP" "http://127.0.0.1:$PROXY/small.txt" > /dev/null 2>&1
  max=$(wrk -t1 -c50 -d10s "http://127.0.0.1:$PROXY/small.txt" | awk '/^Requests\/sec:/{print int($2)}')
  half=$((max / 2))
  echo "== soak: maximum ${max} rps (wrk -c50); ${SOAK_MIN} min at ${half} rps (h2load --h1, $conns connections)"
  heap_after_gc() { jcmd "$GH" GC.run > /dev/null 2>&1; curl -s "http://127.0.0.1:$ADMIN/admin/metrics" | python3 -c 'import json,sys; g=json.load(sys.stdin)["gauges"]; print(int(g["jvm.memory.heap.used"]["value"]/1048576))'; }
  echo "minute 0: heap after full GC $(heap_after_gc) MiB, rss $(awk '/VmRSS/{print int($2/1024)}' /proc/"$GH"/status) MiB"
  h2load --h1 -c "$conns" --rps=$((half / conns)) -D $((SOAK_MIN * 60)) "http://127.0.0.1:$PROXY/small.txt" > "$TMP/h2load.out" 2>&1 &
  local load=$!; pids+=("$load")
  for ((m = 1; m <= SOAK_MIN; m++)); do
    sleep 60
    echo "minute $m: heap after full GC $(heap_after_gc) MiB, rss $(awk '/VmRSS/{print int($2/1024)}' /proc/"$GH"/status) MiB"
  done
  wait "$load"
  grep -E "^finished in|^requests:|^status codes:" "$TMP/h2load.out"
}

start_gatehouse
case $mode in
  soak) soak ;;
  tunnel) tunnel ;;
  idle) idle ;;
  all) tunnel; idle ;;
  *) die "usage: bench/capacity.sh [tunnel|idle|all]" ;;
esac
