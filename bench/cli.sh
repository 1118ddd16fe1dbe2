#!/usr/bin/env bash
# CLI integration benchmark: time to first output, process-to-client latency, concurrent streams.
#
#   bench/cli.sh
#
# Starts Gatehouse (target/gatehouse.jar, built when missing) on free 127.0.0.1 ports with the CLI
# enabled and two commands: echo (/bin/echo) and ticker (python3: prints its clock every INTERVAL
# seconds, flushing each line). bench/cli_client.py then measures, with Python's http.client:
#   1. time to first byte and to the first stdout event of `echo hi` (RUNS sequential runs);
#   2. latency from the program writing a line (its timestamp) to the client reading it;
#   3. the same with STREAMS concurrent ticker runs, per stream and overall.
# Both sides read the same clock (one machine). Stops Gatehouse when it exits.
#
# Environment (defaults in brackets):
#   RUNS [300]  TICKS [100]  INTERVAL [0.02]  STREAMS [10]
#   GATEHOUSE_JAR [<repo>/target/gatehouse.jar]   JAVA_OPTS []
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
die() { echo "cli.sh: $*" >&2; exit 1; }
command -v java >/dev/null || die "java (17+) is not on PATH"
PY=$(command -v python3) || die "python3 is needed (the ticker program and the client)"

JAR=${GATEHOUSE_JAR:-$repo/target/gatehouse.jar}
if [[ ! -f $JAR ]]; then
  [[ -z ${GATEHOUSE_JAR:-} ]] || die "GATEHOUSE_JAR=$JAR does not exist"
  (cd "$repo" && mvn -q -B -DskipTests package) || die "build failed"
fi

TMP=$(mktemp -d)
GH_PID=
cleanup() { [[ -n $GH_PID ]] && kill "$GH_PID" 2>/dev/null && wait "$GH_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

cat > "$TMP/ticker.py" <<'PY'
import sys, time
n, interval = int(sys.argv[1]), float(sys.argv[2])
for _ in range(n):
    sys.stdout.write("%d\n" % time.time_ns())
    sys.stdout.flush()
    time.sleep(interval)
PY

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PORT=$(free_port); ADMIN=$(free_port)
java ${JAVA_OPTS:-} -jar "$JAR" --proxy.port="$PORT" --admin.port="$ADMIN" --log.access.enabled=false --log.level=WARN \
  --cli.enabled=true --cli.max-concurrent=32 \
  --cli.commands.echo.path=/bin/echo \
  --cli.commands.ticker.path="$(readlink -f "$PY")" --cli.commands.ticker.args-pattern='[0-9./a-zA-Z_-]+' \
  > "$TMP/gatehouse.log" 2>&1 &
GH_PID=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$ADMIN/health/readiness" >/dev/null 2>&1 && break
  kill -0 "$GH_PID" 2>/dev/null || { cat "$TMP/gatehouse.log"; die "gatehouse did not start"; }
  sleep 0.2
done
echo "gatehouse: $(java -version 2>&1 | head -1), $(nproc) cores, $(uname -r)"
"$PY" "$here/cli_client.py" "http://127.0.0.1:$PORT/cli" "$TMP/ticker.py" "${RUNS:-300}" "${TICKS:-100}" "${INTERVAL:-0.02}" "${STREAMS:-10}"
