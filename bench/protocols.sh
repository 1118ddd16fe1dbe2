#!/usr/bin/env bash
# Compression and HTTP/2 measurements through Gatehouse (reverse route to an nginx origin).
#
#   bench/protocols.sh [compression|http2|all]      (default: all)
#
# compression: bytes of a 100 KB JSON-lines response with identity, gzip and br, and wrk
#              throughput for identity and for each gzip level / brotli quality listed.
# http2:       h2load, many small requests over few connections: h2c (prior knowledge) against
#              HTTP/1.1 through the same Gatehouse.
# Needs nginx, wrk, curl, h2load (Debian: nginx wrk curl nghttp2-client) and Java 17; installs
# nothing. Environment: DUR [10s], WARMUP [5s], CONNS [16], GZIP_LEVELS ["1 5 9"],
# BROTLI_QUALITIES ["1 4 5 6"], H2_REQUESTS [50000], H2_CONNS [4], H2_STREAMS [32],
# GATEHOUSE_JAR [target/gatehouse.jar].
set -u -o pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
mode=${1:-all}
DUR=${DUR:-10s}; WARMUP=${WARMUP:-5s}; CONNS=${CONNS:-16}
GZIP_LEVELS=${GZIP_LEVELS:-1 5 9}; BROTLI_QUALITIES=${BROTLI_QUALITIES:-1 4 5 6}
H2_REQUESTS=${H2_REQUESTS:-50000}; H2_CONNS=${H2_CONNS:-4}; H2_STREAMS=${H2_STREAMS:-32}
JAR=${GATEHOUSE_JAR:-$repo/target/gatehouse.jar}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for t in wrk curl h2load java; do command -v $t >/dev/null || { echo "bench: $t is missing" >&2; exit 1; }; done
[[ -x $NGINX ]] || { echo "bench: nginx is missing" >&2; exit 1; }
[[ -f $JAR ]] || (cd "$repo" && mvn -q -B -DskipTests package) || exit 1

TMP=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)); }

mkdir -p "$TMP/www" "$TMP/tmp"
printf '%s' "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde" > "$TMP/www/small.txt"
# 100 KB of API-like JSON lines: repetitive structure, varying values
awk 'BEGIN { srand(7); split("alpha bravo charlie delta echo foxtrot golf hotel india juliet", w, " ");
  while (n < 100000) { l = sprintf("{\"id\":%d,\"name\":\"%s-%d\",\"email\":\"user%d@example.com\",\"active\":%s,\"score\":%d,\"tags\":[\"%s\",\"%s\"]}\n",
    i, w[int(rand()*10)+1], int(rand()*100000), i, (rand() < .5 ? "true" : "false"), int(rand()*1000), w[int(rand()*10)+1], w[int(rand()*10)+1]);
    printf "%s", l; n += length(l); i++ } }' | head -c 100000 > "$TMP/www/data.json"
ORIGIN=$(free_port)
cat > "$TMP/nginx.conf" <<CONF
$( [[ $EUID -eq 0 ]] && echo "user root;" )
worker_processes 1; daemon off; pid $TMP/nginx.pid; error_log $TMP/nginx-error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000; client_body_temp_path $TMP/tmp;
  types { text/plain txt; application/json json; }
  server { listen 127.0.0.1:$ORIGIN backlog=4096; root $TMP/www; gzip off; } }
CONF
"$NGINX" -p "$TMP/" -c "$TMP/nginx.conf" > "$TMP/nginx.out" 2>&1 & pids+=($!)

start_gatehouse() { # extra --key=value ...
  GH=$(free_port); ADMIN=$(free_port)
  java -Xmx512m -jar "$JAR" --proxy.port=$GH --admin.port=$ADMIN --log.access.enabled=false --log.level=WARN \
    --routes=app --routes.app.targets=http://127.0.0.1:$ORIGIN "$@" > "$TMP/gatehouse.out" 2>&1 & GH_PID=$!
  for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$ADMIN/health/readiness" && return 0; sleep 0.5; done
  echo "bench: Gatehouse did not start" >&2; cat "$TMP/gatehouse.out" >&2; exit 1
}
stop_gatehouse() { kill "$GH_PID"; wait "$GH_PID" 2>/dev/null; }
rps() { wrk -t1 -c"$CONNS" -d"$1" "${@:2}" | awk '/Requests\/sec/ {print $2}'; }

measure_level() { # coding level option: body size and req/s of one compression level
  local coding=$1 level=$2 name size url
  name=$([[ $coding == br ]] && echo "brotli quality" || echo "gzip level")
  start_gatehouse "$3"
  url="http://127.0.0.1:$GH/data.json"
  size=$(curl -s -H "Accept-Encoding: $coding" -o /dev/null -w '%{size_download}' "$url")
  rps "$WARMUP" -H "Accept-Encoding: $coding" "$url" > /dev/null
  echo "compression: $name $level: $size B, $(rps "$DUR" -H "Accept-Encoding: $coding" "$url") req/s"
  stop_gatehouse
}

if [[ $mode == compression || $mode == all ]]; then
  start_gatehouse
  url="http://127.0.0.1:$GH/data.json"
  id=$(curl -s -o /dev/null -w '%{size_download}' "$url")
  gz=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$url")
  br=$(curl -s -H 'Accept-Encoding: br' -o /dev/null -w '%{size_download}' "$url")
  echo "compression: 100 KB JSON lines: identity $id B, gzip (level 5) $gz B ($(( 100 - 100 * gz / id ))% less), br (quality 4) $br B ($(( 100 - 100 * br / id ))% less)"
  rps "$WARMUP" "$url" > /dev/null
  echo "compression: wrk -c$CONNS $DUR, 100 KB JSON: identity $(rps "$DUR" "$url") req/s"
  stop_gatehouse
  for level in $GZIP_LEVELS; do measure_level gzip "$level" --compression.gzip.level="$level"; done
  for q in $BROTLI_QUALITIES; do measure_level br "$q" --compression.brotli.quality="$q"; done
fi

if [[ $mode == http2 || $mode == all ]]; then
  start_gatehouse
  url="http://127.0.0.1:$GH/small.txt"
  # warm-up: the JIT needs a few hundred thousand requests on both paths
  for _ in 1 2 3; do
    h2load -n "$H2_REQUESTS" -c "$H2_CONNS" -m "$H2_STREAMS" "$url" > /dev/null 2>&1
    h2load --h1 -n "$H2_REQUESTS" -c "$H2_CONNS" "$url" > /dev/null 2>&1
    h2load --h1 -n "$H2_REQUESTS" -c "$(( H2_CONNS * H2_STREAMS ))" "$url" > /dev/null 2>&1
  done
  for round in 1 2 3 4 5; do
    h2=$(h2load -n "$H2_REQUESTS" -c "$H2_CONNS" -m "$H2_STREAMS" "$url" 2>&1 | awk '/^finished in/ {print $4}')
    h1=$(h2load --h1 -n "$H2_REQUESTS" -c "$H2_CONNS" "$url" 2>&1 | awk '/^finished in/ {print $4}')
    h1m=$(h2load --h1 -n "$H2_REQUESTS" -c "$(( H2_CONNS * H2_STREAMS ))" "$url" 2>&1 | awk '/^finished in/ {print $4}')
    echo "http2: round $round, $H2_REQUESTS x 64 B: h2c $H2_CONNS conns x $H2_STREAMS streams $h2 req/s; HTTP/1.1 $H2_CONNS conns $h1 req/s; HTTP/1.1 $(( H2_CONNS * H2_STREAMS )) conns $h1m req/s"
  done
  stop_gatehouse
fi
