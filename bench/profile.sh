#!/usr/bin/env bash
# Where the CPU goes on the proxied path: a sampling profile of Gatehouse under wrk load, with
# kernel frames, summarised by who caused the work.
#
#   bench/profile.sh [reverse|forward|cache] [file]     (defaults: reverse small.txt; cache: hits from
#                                                    the response cache of a route whose origin allows it)
#
# Starts, on 127.0.0.1 and free ports, an nginx origin and Gatehouse (target/gatehouse.jar or
# GATEHOUSE_JAR, default configuration: JSON access log, compression, metrics on), warms it up
# with wrk for WARMUP, then samples CPU for SECONDS with async-profiler (fetched from Maven
# Central into the local Maven repository, tools.profiler:async-profiler:3.0, loaded with the
# JDK's attach API) while wrk keeps the load on. Prints the requests/s under the profiler, the
# share of samples by owner and the top frames; writes the collapsed stacks to OUT.
# Needs nginx, wrk, curl, python3, Java 17 and Maven; installs nothing else.
#
# Environment: WARMUP [30s], SECONDS_PROFILED [10], CONNS [50], INTERVAL_US [200] (sampling
#              interval), EVENT [cpu] (perf events; "itimer" where perf_event_open is not
#              allowed), OUT [profile-<mode>-<file>.collapsed in the current directory],
#              JAVA_OPTS [], GATEHOUSE_ARGS [], KEEP_TMP [0].
set -u -o pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
mode=${1:-reverse}
file=${2:-small.txt}
WARMUP=${WARMUP:-30s}
SECONDS_PROFILED=${SECONDS_PROFILED:-10}
CONNS=${CONNS:-50}
INTERVAL_US=${INTERVAL_US:-200}
EVENT=${EVENT:-cpu}
OUT=${OUT:-$PWD/profile-$mode-$file.collapsed}
JAVA_OPTS=${JAVA_OPTS:-}
GATEHOUSE_ARGS=${GATEHOUSE_ARGS:-}
KEEP_TMP=${KEEP_TMP:-0}
JAR=${GATEHOUSE_JAR:-$repo/target/gatehouse.jar}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
AP_VERSION=3.0
die() { echo "profile: $*" >&2; exit 1; }
case $mode in reverse|forward|cache) ;; *) die "usage: bench/profile.sh [reverse|forward|cache] [small.txt|64k.bin]" ;; esac
case $file in small.txt|64k.bin) ;; *) die "the file is small.txt or 64k.bin, not '$file'" ;; esac
[[ -x $NGINX ]] || die "nginx is missing (apt-get install -y nginx)"
for t in wrk curl python3 java mvn; do command -v $t >/dev/null || die "$t is missing"; done
[[ -f $JAR ]] || die "$JAR is missing: mvn -q -DskipTests package"

# async-profiler from Maven Central: the jar carries the native library
AP_JAR=$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar
[[ -f $AP_JAR ]] || mvn -q dependency:get -Dartifact=tools.profiler:async-profiler:$AP_VERSION >/dev/null 2>&1 \
  || die "could not fetch tools.profiler:async-profiler:$AP_VERSION from Maven Central"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-profile.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; [[ $KEEP_TMP == 1 ]] || rm -rf "$TMP"; }
trap cleanup EXIT
(cd "$TMP" && unzip -q -o "$AP_JAR" 'linux-x64/*') || die "cannot unpack $AP_JAR"
LIB=$TMP/linux-x64/libasyncProfiler.so
cat > "$TMP/Attach.java" <<'JAVA'
import com.sun.tools.attach.VirtualMachine;
/** Loads async-profiler into a running JVM: Attach PID LIBRARY COMMAND. */
public class Attach
{
    public static void main(String[] args) throws Exception
    {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try
        {
            vm.loadAgentPath(args[1], args[2]);
        }
        finally
        {
            vm.detach();
        }
    }
}
JAVA

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ORIGIN=$(free_port); PROXY=$(free_port); ADMIN=$(free_port)
mkdir -p "$TMP/www" "$TMP/nginx-tmp"
head -c 48 /dev/urandom | base64 | tr -d '\n' > "$TMP/www/small.txt"
head -c 65536 /dev/urandom > "$TMP/www/64k.bin"
# the cache mode measures hits: the origin lets the proxy keep its answers
CACHE_CONTROL=no-store; [[ $mode == cache ]] && CACHE_CONTROL=max-age=3600
USER_LINE=; ((EUID == 0)) && USER_LINE="user $(id -un) $(id -gn);"
cat > "$TMP/origin.conf" <<CONF
$USER_LINE
worker_processes 1; daemon off; pid $TMP/origin.pid; error_log $TMP/origin-error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000; client_body_temp_path $TMP/nginx-tmp;
  server { listen 127.0.0.1:$ORIGIN backlog=4096; root $TMP/www; location / { add_header Cache-Control "$CACHE_CONTROL"; } } }
CONF
"$NGINX" -p "$TMP/" -c "$TMP/origin.conf" > "$TMP/origin.out" 2>&1 & pids+=($!)

args=(--proxy.port="$PROXY" --admin.port="$ADMIN" --shutdown.grace=1s)
[[ $mode == reverse || $mode == cache ]] && args+=(--routes=bench --routes.bench.targets="http://127.0.0.1:$ORIGIN")
[[ $mode == cache ]] && args+=(--cache.enabled=true)
[[ $mode == forward ]] && args+=(--ssrf.allow=127.0.0.1)
# shellcheck disable=SC2086 # word lists
env -u GATEHOUSE_JAR -u GATEHOUSE_ARGS java $JAVA_OPTS -jar "$JAR" "${args[@]}" $GATEHOUSE_ARGS > "$TMP/gatehouse.log" 2>&1 &
GH=$!; pids+=("$GH")
for _ in $(seq 1 240); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ADMIN/health/readiness") == 200 ]] && break
  kill -0 "$GH" 2>/dev/null || { tail -20 "$TMP/gatehouse.log" >&2; die "gatehouse exited"; }
  sleep 0.25
done

load() { # duration -> wrk output
  if [[ $mode == forward ]]; then
    TARGET="http://127.0.0.1:$ORIGIN/$file" wrk -t1 -c"$CONNS" -d"$1" --latency -s "$here/abs.lua" "http://127.0.0.1:$PROXY/"
  else
    wrk -t1 -c"$CONNS" -d"$1" --latency "http://127.0.0.1:$PROXY/$file"
  fi
}
echo "== profile: $mode $file, wrk -t1 -c$CONNS, warm-up $WARMUP, ${SECONDS_PROFILED}s sampled ($EVENT every ${INTERVAL_US}us)"
load "$WARMUP" > "$TMP/warmup.txt"
echo "warm-up: $(awk '/Requests\/sec/{print $2}' "$TMP/warmup.txt") requests/s"
load "$((SECONDS_PROFILED + 4))s" > "$TMP/load.txt" &
WRK=$!
sleep 2
java "$TMP/Attach.java" "$GH" "$LIB" "start,event=$EVENT,interval=$((INTERVAL_US * 1000))" || die "cannot attach async-profiler"
sleep "$SECONDS_PROFILED"
java "$TMP/Attach.java" "$GH" "$LIB" "stop,file=$OUT,collapsed" || die "cannot stop async-profiler"
wait "$WRK"
echo "under the profiler: $(awk '/Requests\/sec/{print $2}' "$TMP/load.txt") requests/s, p99 $(awk '$1 == "99%" {print $2}' "$TMP/load.txt")"
echo "stacks: $OUT"
python3 "$here/profile_summary.py" "$OUT"
