#!/usr/bin/env bash
# Gatehouse load-test harness: Gatehouse against an nginx reverse-proxy anchor, side by side.
#
#   bench/run.sh [reverse|forward|cache|all|panel]  (default: all = reverse and forward)
#
# The panel mode prints the rows the performance targets are stated in (docs/benchmarks.md), each
# from one run, Gatehouse in its default configuration against the floor or anchor of the row:
#   cache hit 64 B   vs nginx proxy_cache hit (ceilings: a bare Jetty servlet / core handler
#                    writing 64 B from memory)            target >= 0.7x nginx hit, p99 <= 2x
#   cache hit 64 KiB vs nginx proxy_cache hit             target >= 1.0x
#   reverse 64 B     vs stock Jetty AsyncMiddleManServlet.Transparent (also: stock core
#                    ProxyHandler, nginx)                  target >= 1.0x, p99 <= 1.0x
#   reverse 64 KiB   vs stock servlet (also: stock AsyncProxyServlet)   target >= 1.0x
#   forward 64 B     vs stock servlet forward (also: stock core, Squid) target >= 1.0x
# The stock Jetty anchors come from bench/jetty-stock (Jetty's proxy modules, no Gatehouse code),
# built with Maven on first use. Every entry of a row is warmed up for WARMUP, then each round
# runs the row's entries in turn for DUR; medians over ROUNDS. While an entry runs, the panel's
# other JVMs are paused (SIGSTOP), so no idle JVM takes CPU from the one being measured.
#
# Starts, all on 127.0.0.1 and on free ports, an nginx origin serving a 64 B and a 64 KiB file,
# the anchors in front of it and Gatehouse, then runs wrk rounds alternating anchors / Gatehouse
# and prints rps, p99 and the median ratio Gatehouse/anchor. Anchors: reverse mode nginx
# proxy_pass (1 worker) and HAProxy (1 thread); forward mode Squid (1 worker) and nginx taking
# absolute URIs; HAProxy and Squid are used when installed (ANCHORS overrides). Both modes also
# run "jetty": Jetty's stock AsyncMiddleManServlet with no Gatehouse code (bench/StockJetty.java,
# on the same jar), the floor of what a servlet proxy on this JVM reaches on this machine.
# The cache mode measures cache hits: Gatehouse with cache.enabled=true serving /cached/<file>
# (the origin marks it max-age=3600) from its cache, against nginx serving the file directly.
# Installs nothing; stops everything it started when it exits. See bench/README.md.
#
# Environment (defaults in brackets):
#   DUR [10s]           wrk duration of one measured run
#   ROUNDS [3]          measured rounds per file (each round: anchor, then Gatehouse)
#   CONNS [50]          wrk connections
#   THREADS [1]         wrk threads
#   WARMUP [30s]        wrk warm-up against Gatehouse (and the stock Jetty anchor) per file
#                       before measuring (0 to skip); the JIT reaches steady state after ~30 s
#   FILES ["small.txt 64k.bin"]   which files to measure
#   GATEHOUSE_JAR [<repo>/target/gatehouse.jar]   the jar to run; the default one is built
#                       with `mvn -q -B -DskipTests package` when missing
#   JAVA_OPTS []        JVM options for Gatehouse, e.g. "-Xmx1g"
#   GATEHOUSE_ARGS []   extra --key=value options for Gatehouse
#   READY_TIMEOUT [60]  seconds to wait for Gatehouse's /health/readiness
#   KEEP_TMP [0]        1 keeps the temp dir (configs, logs, raw wrk output)
#   ANCHORS []          anchors to measure against, e.g. "nginx haproxy squid jetty" (default: the
#                       mode's anchors that are installed, and jetty; the cache mode always uses
#                       the origin itself)
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

usage() { sed -n '2,/^set -u/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

mode=${1:-all}
case $mode in
  reverse|forward|cache|all|panel) ;;
  -h|--help|help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac

DUR=${DUR:-10s}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-50}
THREADS=${THREADS:-1}
WARMUP=${WARMUP:-30s}
FILES=${FILES:-small.txt 64k.bin}
READY_TIMEOUT=${READY_TIMEOUT:-60}
KEEP_TMP=${KEEP_TMP:-0}
JAVA_OPTS=${JAVA_OPTS:-}
GATEHOUSE_ARGS=${GATEHOUSE_ARGS:-}
ANCHORS=${ANCHORS:-}

die() { echo "bench: $*" >&2; exit 1; }

[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, not '$ROUNDS'"
[[ $CONNS =~ ^[1-9][0-9]*$ ]] || die "CONNS must be a positive integer, not '$CONNS'"
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "THREADS must be a positive integer, not '$THREADS'"
[[ $READY_TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "READY_TIMEOUT must be a positive integer, not '$READY_TIMEOUT'"
for f in $FILES; do
  [[ $f == small.txt || $f == 64k.bin ]] || die "FILES may name small.txt and 64k.bin, not '$f'"
done

# ---------------------------------------------------------------- tools (installs nothing)
NGINX=${NGINX:-$(command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true)}
missing=()
[[ -n $NGINX ]] || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
  echo "bench: missing: ${missing[*]}. On Debian/Ubuntu install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 3
fi
command -v java >/dev/null || die "java (17+) is not on PATH: sudo apt-get install -y openjdk-17-jre-headless"
HAPROXY=$(command -v haproxy || { [[ -x /usr/sbin/haproxy ]] && echo /usr/sbin/haproxy; } || true)
SQUID=$(command -v squid || { [[ -x /usr/sbin/squid ]] && echo /usr/sbin/squid; } || true)
[[ -z $HAPROXY ]] && echo "bench: haproxy is not installed; the reverse mode compares with nginx only (apt-get install -y haproxy)" >&2
[[ -z $SQUID ]] && echo "bench: squid is not installed; the forward mode compares with nginx only (apt-get install -y squid)" >&2

if [[ -n ${GATEHOUSE_JAR:-} ]]; then
  JAR=$GATEHOUSE_JAR
  [[ -f $JAR ]] || die "GATEHOUSE_JAR=$JAR does not exist"
else
  JAR=$repo/target/gatehouse.jar
  if [[ ! -f $JAR ]]; then
    command -v mvn >/dev/null || die "$JAR is missing and mvn is not on PATH to build it"
    echo "bench: $JAR is missing; building it: (cd $repo && mvn -q -B -DskipTests package)"
    (cd "$repo" && mvn -q -B -DskipTests package) || die "the build failed"
    [[ -f $JAR ]] || die "the build did not produce $JAR"
  fi
fi
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")

# ---------------------------------------------------------------- temp dir and clean-up
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-bench.XXXXXX") || die "mktemp failed"
declare -A started=()   # pid -> name, everything this script started and has not stopped yet
declare -A jvm_of_port=() # port -> pid of the benchmark JVMs (Gatehouse, stock anchors), for isolate()

stop_pid() { # pid: TERM, wait up to 15 s, then KILL
  local pid=$1 i
  kill -CONT "$pid" 2>/dev/null # a JVM paused by isolate() handles its TERM only once resumed
  kill -TERM "$pid" 2>/dev/null || { unset "started[$pid]"; return 0; }
  for ((i = 0; i < 75; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "bench: ${started[$pid]:-$pid} did not stop in 15 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  unset "started[$pid]"
}

cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  for pid in "${!started[@]}"; do stop_pid "$pid"; done
  if [[ $KEEP_TMP == 1 ]]; then
    echo "bench: kept $TMP (configs, logs, raw wrk output)"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- helpers
used_ports=" "
free_port() { # sets REPLY to a port on 127.0.0.1 that nothing listens on (below the ephemeral range)
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    [[ $used_ports == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      used_ports+="$p "
      REPLY=$p
      return 0
    fi
  done
  die "found no free port on 127.0.0.1"
}

http_code() { # url [curl args...]
  local url=$1; shift
  curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$@" "$url" 2>/dev/null || true
}

wait_ready() { # name pid url timeout_s: 0 once url answers 200, 1 if pid dies or time runs out
  local name=$1 pid=$2 url=$3 timeout=$4 deadline code
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || { echo "bench: $name exited before it was ready" >&2; return 1; }
    code=$(http_code "$url")
    [[ $code == 200 ]] && return 0
    sleep 0.25
  done
  echo "bench: $name was not ready within ${timeout}s (last status from $url: ${code:-none})" >&2
  return 1
}

render() { # template out
  sed -e "s|@TMP@|$TMP|g" -e "s|@ORIGIN_PORT@|$ORIGIN_PORT|g" -e "s|@ANCHOR_PORT@|$ANCHOR_PORT|g" \
      -e "s|@HAPROXY_PORT@|$HAPROXY_PORT|g" -e "s|@SQUID_PORT@|$SQUID_PORT|g" -e "s|@NGINX_CACHE_PORT@|$NGINX_CACHE_PORT|g" \
      -e "s|@USER_LINE@|$USER_LINE|" "$1" > "$2"
}

start_nginx() { # name conf port
  local name=$1 conf=$2 port=$3 pid
  mkdir -p "$TMP/$name-tmp"
  if ! "$NGINX" -t -q -p "$TMP/" -e "$TMP/$name-error.log" -c "$conf" > "$TMP/$name-test.out" 2>&1; then
    cat "$TMP/$name-test.out" >&2
    die "nginx rejected $conf"
  fi
  "$NGINX" -p "$TMP/" -e "$TMP/$name-error.log" -c "$conf" > "$TMP/$name.out" 2>&1 &
  pid=$!
  started[$pid]="nginx $name"
  if ! wait_ready "nginx $name" "$pid" "http://127.0.0.1:$port/small.txt" 10; then
    cat "$TMP/$name.out" "$TMP/$name-error.log" >&2 2>/dev/null
    exit 1
  fi
}

start_haproxy() {
  local pid
  "$HAPROXY" -c -q -f "$TMP/anchor-haproxy.cfg" > "$TMP/haproxy-test.out" 2>&1 || { cat "$TMP/haproxy-test.out" >&2; die "haproxy rejected its config"; }
  "$HAPROXY" -db -f "$TMP/anchor-haproxy.cfg" > "$TMP/haproxy.out" 2>&1 &
  pid=$!
  started[$pid]=haproxy
  wait_ready haproxy "$pid" "http://127.0.0.1:$HAPROXY_PORT/small.txt" 10 || { cat "$TMP/haproxy.out" >&2; exit 1; }
}

start_squid() {
  local pid deadline
  "$SQUID" -N -f "$TMP/anchor-squid.conf" > "$TMP/squid.out" 2>&1 &
  pid=$!
  started[$pid]=squid
  wait_forward_ready squid "$pid" "$SQUID_PORT" 20 || { cat "$TMP/squid.out" "$TMP/squid-cache.log" >&2 2>/dev/null; die "squid did not start"; }
}

wait_forward_ready() { # name pid port timeout_s: 0 once the origin's file comes back 200 through the proxy on port
  local deadline=$((SECONDS + $4))
  until [[ $(http_code "http://127.0.0.1:$ORIGIN_PORT/small.txt" -x "http://127.0.0.1:$3") == 200 ]]; do
    kill -0 "$2" 2>/dev/null && ((SECONDS < deadline)) || { echo "bench: $1 was not ready within $4s" >&2; return 1; }
    sleep 0.25
  done
}

start_jetty() { # mode: the stock Jetty proxy servlet, on the Gatehouse jar
  local m=$1 pid port ok
  if [[ $m == forward ]]; then port=$JETTY_FWD_PORT; else port=$JETTY_PORT; fi
  java $JAVA_OPTS -cp "$JAR" "$here/StockJetty.java" "$m" "$port" "http://127.0.0.1:$ORIGIN_PORT" > "$TMP/jetty-$m.out" 2>&1 &
  pid=$!
  started[$pid]="stock jetty ($m)"
  if [[ $m == forward ]]; then
    wait_forward_ready "stock jetty" "$pid" "$port" "$READY_TIMEOUT"; ok=$?
  else
    wait_ready "stock jetty" "$pid" "http://127.0.0.1:$port/small.txt" "$READY_TIMEOUT"; ok=$?
  fi
  ((ok == 0)) || { cat "$TMP/jetty-$m.out" >&2; exit 1; }
}

port_of_anchor() { # name -> port
  case $1 in nginx) echo "$ANCHOR_PORT" ;; haproxy) echo "$HAPROXY_PORT" ;; squid) echo "$SQUID_PORT" ;; origin) echo "$ORIGIN_PORT" ;;
    jetty) if [[ ${cur_mode:-} == forward ]]; then echo "$JETTY_FWD_PORT"; else echo "$JETTY_PORT"; fi ;; esac
}

anchors_of() { # mode -> the anchors to measure against
  local m=$1 a out=()
  if [[ $m == cache ]]; then echo origin; return; fi
  if [[ -n $ANCHORS ]]; then
    for a in $ANCHORS; do
      [[ $a == squid && $m != forward ]] && continue
      [[ $a == haproxy && $m == forward ]] && continue
      out+=("$a")
    done
  elif [[ $m == reverse ]]; then
    out=(nginx); [[ -n $HAPROXY ]] && out+=(haproxy); out+=(jetty)
  else
    [[ -n $SQUID ]] && out+=(squid); out+=(nginx jetty)
  fi
  echo "${out[*]}"
}

to_ms() { # wrk latency like 812.00us, 1.23ms, 2.01s -> milliseconds
  awk -v l="$1" 'BEGIN{ if (l ~ /us$/) { sub(/us$/, "", l); l /= 1000 }
    else if (l ~ /ms$/) sub(/ms$/, "", l); else if (l ~ /m$/) { sub(/m$/, "", l); l *= 60000 }
    else if (l ~ /s$/) { sub(/s$/, "", l); l *= 1000 }
    printf "%.3f", l + 0 }'
}

run_wrk() { # port file duration out -> sets RPS, P99 (ms) and ERRS ("-" when there were none)
  local port=$1 file=$2 dur=$3 out=$4 p99 pid
  # In the background and waited for, so that an interrupt stops wrk at once through cleanup.
  if [[ $cur_mode == forward ]]; then
    TARGET="http://127.0.0.1:$ORIGIN_PORT/$file" wrk -t"$THREADS" -c"$CONNS" -d"$dur" --latency \
      -s "$here/abs.lua" "http://127.0.0.1:$port/" > "$out" 2>&1 &
  else
    wrk -t"$THREADS" -c"$CONNS" -d"$dur" --latency "http://127.0.0.1:$port/$(path_of "$port" "$file")" > "$out" 2>&1 &
  fi
  pid=$!
  started[$pid]=wrk
  wait "$pid"
  unset "started[$pid]"
  RPS=$(awk '/^Requests\/sec:/{print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  ERRS=$(awk '/Non-2xx or 3xx responses:/{e = e "non2xx=" $NF ","}
    /Socket errors:/{gsub(/,/, ""); e = e "connect=" $4 ",read=" $6 ",write=" $8 ",timeout=" $10 ","}
    /unable to connect|^wrk: /{e = e "wrk-failed,"}
    END{sub(/,$/, "", e); print (e == "" ? "-" : e)}' "$out")
  [[ -n $RPS ]] || { RPS=0; [[ $ERRS == - ]] && ERRS=no-result; }
  P99=$(to_ms "${p99:-0}")
}

median() { # numbers... -> median (mean of the two middle values for an even count)
  printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END{ if (NR % 2) printf "%.3f", v[(NR + 1) / 2];
    else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

path_of() { # port file -> the path to request: in the cache mode Gatehouse (and nginx's cache) serve /cached/<file>
  if [[ $cur_mode == cache && ( $1 == "${GH_PORT:-}" || $1 == "${NGINX_CACHE_PORT:-}" ) ]]; then echo "cached/$2"; else echo "$2"; fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ printf "%.3f", (a > 0) ? b / a : 0 }'; }

check_path() { # name port file: the file must come back byte for byte with a 200
  local name=$1 port=$2 file=$3 code
  local body="$TMP/check-$name-$cur_mode-$file.body" hdrs="$TMP/check-$name-$cur_mode-$file.headers"
  if [[ $cur_mode == forward ]]; then
    code=$(curl -s -D "$hdrs" -o "$body" --max-time 5 -w '%{http_code}' -x "http://127.0.0.1:$port" \
      "http://127.0.0.1:$ORIGIN_PORT/$file" 2>/dev/null)
  else
    code=$(curl -s -D "$hdrs" -o "$body" --max-time 5 -w '%{http_code}' "http://127.0.0.1:$port/$(path_of "$port" "$file")" 2>/dev/null)
  fi
  if [[ $code == 200 ]] && cmp -s "$body" "$TMP/www/$file"; then
    return 0
  fi
  echo "bench: $name did not proxy $cur_mode /$file correctly: status ${code:-none}, $(wc -c < "$body" 2>/dev/null || echo 0) body bytes (want 200 and $(wc -c < "$TMP/www/$file") identical bytes)" >&2
  echo "--- response headers" >&2; cat "$hdrs" >&2 2>/dev/null
  echo "--- body (first 500 bytes)" >&2; head -c 500 "$body" >&2 2>/dev/null; echo >&2
  return 1
}

# ---------------------------------------------------------------- Gatehouse
GH_PID=
start_gatehouse() { # mode: reverse runs with one catch-all route; forward with none
  local m=$1 args
  free_port; GH_PORT=$REPLY
  free_port; GH_ADMIN=$REPLY
  args=(--proxy.port="$GH_PORT" --admin.port="$GH_ADMIN" --shutdown.grace=1s)
  # The forward mode runs Gatehouse without routes: nothing but the forward-proxy path is measured.
  [[ $m == reverse || $m == cache ]] && args+=(--routes=bench --routes.bench.targets="http://127.0.0.1:$ORIGIN_PORT")
  [[ $m == cache ]] && args+=(--cache.enabled=true)
  # The origin is on loopback, which the SSRF guard refuses to forward-proxy clients by default.
  [[ $m == forward ]] && args+=(--ssrf.allow=127.0.0.1)
  # shellcheck disable=SC2086 # JAVA_OPTS and GATEHOUSE_ARGS are word lists
  # GATEHOUSE_* variables are Gatehouse configuration: keep the harness's own out of its environment.
  env -u GATEHOUSE_JAR -u GATEHOUSE_ARGS java $JAVA_OPTS -jar "$JAR" "${args[@]}" $GATEHOUSE_ARGS > "$TMP/gatehouse-$m.log" 2>&1 &
  GH_PID=$!
  started[$GH_PID]="gatehouse ($m)"
  jvm_of_port[$GH_PORT]=$GH_PID
  echo "gatehouse ($m): java -jar $JAR ${args[*]} ${GATEHOUSE_ARGS}"
  if ! wait_ready "gatehouse" "$GH_PID" "http://127.0.0.1:$GH_ADMIN/health/readiness" "$READY_TIMEOUT"; then
    local rc=
    kill -0 "$GH_PID" 2>/dev/null || { wait "$GH_PID"; rc=$?; unset "started[$GH_PID]"; }
    [[ -n $rc ]] && echo "bench: gatehouse exit status $rc" >&2
    echo "--- gatehouse output (last 40 lines, $TMP/gatehouse-$m.log)" >&2
    tail -n 40 "$TMP/gatehouse-$m.log" >&2
    exit 1
  fi
}

stop_gatehouse() {
  [[ -n $GH_PID ]] && stop_pid "$GH_PID"
  GH_PID=
}

# ---------------------------------------------------------------- setup
mkdir -p "$TMP/www"
head -c 48 /dev/urandom | base64 | tr -d '\n' > "$TMP/www/small.txt"   # 64 bytes
head -c 65536 /dev/urandom > "$TMP/www/64k.bin"                        # 64 KiB
USER_LINE=
((EUID == 0)) && USER_LINE="user $(id -un) $(id -gn);"   # root: keep workers able to read $TMP

free_port; ORIGIN_PORT=$REPLY
free_port; ANCHOR_PORT=$REPLY
free_port; HAPROXY_PORT=$REPLY
free_port; SQUID_PORT=$REPLY
free_port; JETTY_PORT=$REPLY
free_port; JETTY_FWD_PORT=$REPLY
free_port; NGINX_CACHE_PORT=$REPLY
render "$here/origin-nginx.conf" "$TMP/origin-nginx.conf"
render "$here/anchor-nginx.conf" "$TMP/anchor-nginx.conf"
render "$here/anchor-haproxy.cfg" "$TMP/anchor-haproxy.cfg"
render "$here/anchor-squid.conf" "$TMP/anchor-squid.conf"
render "$here/anchor-nginx-cache.conf" "$TMP/anchor-nginx-cache.conf"

echo "== Gatehouse bench $(date -u '+%Y-%m-%dT%H:%M:%SZ')  mode=$mode"
echo "machine: $(nproc) cores ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null)), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), load avg $(cut -d' ' -f1-3 /proc/loadavg)"
cpu_busy() { # percent of all CPU time busy over one second, whoever uses it
  local a b
  read -r -a a < /proc/stat; sleep 1; read -r -a b < /proc/stat
  awk -v u="$(( (b[1]+b[2]+b[3]+b[6]+b[7]+b[8]) - (a[1]+a[2]+a[3]+a[6]+a[7]+a[8]) ))" \
      -v i="$(( (b[4]+b[5]) - (a[4]+a[5]) ))" 'BEGIN{ printf "%.0f", (u + i > 0) ? 100 * u / (u + i) : 0 }'
}
busy=$(cpu_busy 2>/dev/null || echo "?")
echo "cpu busy before start: ${busy}% (over 1 s)"
[[ $busy =~ ^[0-9]+$ ]] && ((busy > 10)) && echo "bench: WARNING: the machine is already ${busy}% busy; other work competes with wrk, nginx and Gatehouse for the cores and the numbers will be noisy" >&2
echo "tools: $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), $(wrk -v 2>&1 | head -1 | awk '{print "wrk " $2}'), $(java -version 2>&1 | head -1)"
head_note=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null | sed 's/^/, repo HEAD /')
[[ -n ${GATEHOUSE_JAR:-} && -n $head_note ]] && head_note+=" (the jar comes from GATEHOUSE_JAR and may be built from another tree)"
echo "jar: $JAR ($(date -u -r "$JAR" '+%Y-%m-%dT%H:%M:%SZ'))$head_note"
echo "wrk: -t$THREADS -c$CONNS -d$DUR, $ROUNDS rounds per file, warm-up $WARMUP; files: $FILES"
echo "temp: $TMP"

start_nginx origin "$TMP/origin-nginx.conf" "$ORIGIN_PORT"
start_nginx anchor "$TMP/anchor-nginx.conf" "$ANCHOR_PORT"
echo "origin: nginx on 127.0.0.1:$ORIGIN_PORT; anchors: nginx proxy on 127.0.0.1:$ANCHOR_PORT"
if [[ $mode == panel ]]; then
  mkdir -p "$TMP/nginx-cache-store"
  start_nginx nginx-cache "$TMP/anchor-nginx-cache.conf" "$NGINX_CACHE_PORT"
  echo "  nginx proxy_cache on 127.0.0.1:$NGINX_CACHE_PORT"
  if [[ -n $SQUID ]]; then start_squid; echo "  squid (1 worker) on 127.0.0.1:$SQUID_PORT"; fi
fi
[[ $mode == panel ]] && needed=" " || needed=" $(anchors_of reverse) $( [[ $mode == forward || $mode == all ]] && anchors_of forward) "
if [[ $needed == *" haproxy "* && -n $HAPROXY ]]; then start_haproxy; echo "  haproxy (1 thread) on 127.0.0.1:$HAPROXY_PORT"; fi
if [[ $needed == *" squid "* && -n $SQUID ]] && [[ $mode == forward || $mode == all ]]; then start_squid; echo "  squid (1 worker) on 127.0.0.1:$SQUID_PORT"; fi
if [[ $needed == *" jetty "* ]] && [[ $mode == reverse || $mode == all ]] && [[ " $(anchors_of reverse) " == *" jetty "* ]]; then start_jetty reverse; echo "  stock jetty (reverse) on 127.0.0.1:$JETTY_PORT"; fi
if [[ $needed == *" jetty "* ]] && [[ $mode == forward || $mode == all ]] && [[ " $(anchors_of forward) " == *" jetty "* ]]; then start_jetty forward; echo "  stock jetty (forward) on 127.0.0.1:$JETTY_FWD_PORT"; fi

# ---------------------------------------------------------------- measurement
summary=()
bad_runs=0

measure_mode() {
  cur_mode=$1
  local file i g gr gl ge note anchor port
  local -a anchors
  read -r -a anchors <<< "$(anchors_of "$cur_mode")"
  echo
  echo "==== $cur_mode (anchors: ${anchors[*]})"
  start_gatehouse "$cur_mode"
  echo "gatehouse: proxy 127.0.0.1:$GH_PORT, admin 127.0.0.1:$GH_ADMIN, ready"
  [[ $cur_mode == cache ]] && echo "anchor for the cache mode: the nginx origin serving the files directly"
  for file in $FILES; do
    for anchor in "${anchors[@]}"; do
      check_path "$anchor" "$(port_of_anchor "$anchor")" "$file" || exit 1
    done
    check_path gatehouse "$GH_PORT" "$file" || { echo "--- gatehouse output (last 40 lines)" >&2; tail -n 40 "$TMP/gatehouse-$cur_mode.log" >&2; exit 1; }
  done
  if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then
    for file in $FILES; do
      run_wrk "$GH_PORT" "$file" "$WARMUP" "$TMP/wrk-$cur_mode-$file-warmup-gatehouse.txt"
      gr=$RPS ge=$ERRS
      for anchor in "${anchors[@]}"; do
        # the stock Jetty anchor is a JVM too: it gets the same warm-up as Gatehouse
        run_wrk "$(port_of_anchor "$anchor")" "$file" "$( [[ $anchor == jetty ]] && echo "$WARMUP" || echo 2s)" "$TMP/wrk-$cur_mode-$file-warmup-$anchor.txt"
      done
      note=
      [[ $ge != - ]] && note="  gatehouse errors: $ge"
      echo "warm-up $file: gatehouse $gr rps over $WARMUP$note"
    done
  fi
  for file in $FILES; do
    echo
    echo "-- $cur_mode $file ($(wc -c < "$TMP/www/$file") B)"
    printf '%-6s %-8s %12s %10s   %12s %10s   %9s %9s\n' round anchor "anchor rps" "p99 ms" "gatehouse rps" "p99 ms" "rps ratio" "p99 ratio"
    declare -A rrs=() lrs=() ars=() als=() errs=()
    local grs=() gls=()
    for ((i = 1; i <= ROUNDS; i++)); do
      # each round: every anchor, then Gatehouse; each anchor's ratio uses this round's Gatehouse run
      declare -A ar=() al=() ae=()
      for anchor in "${anchors[@]}"; do
        run_wrk "$(port_of_anchor "$anchor")" "$file" "$DUR" "$TMP/wrk-$cur_mode-$file-$i-$anchor.txt"
        ar[$anchor]=$RPS al[$anchor]=$P99 ae[$anchor]=$ERRS
      done
      run_wrk "$GH_PORT" "$file" "$DUR" "$TMP/wrk-$cur_mode-$file-$i-gatehouse.txt"
      gr=$RPS gl=$P99 ge=$ERRS
      grs+=("$gr"); gls+=("$gl")
      for anchor in "${anchors[@]}"; do
        local rr lr
        note=
        [[ ${ae[$anchor]} != - ]] && note+="  $anchor errors: ${ae[$anchor]}"
        [[ $ge != - ]] && note+="  gatehouse errors: $ge"
        rr=$(ratio "${ar[$anchor]}" "$gr")
        lr=$(ratio "${al[$anchor]}" "$gl")
        # A round with errors on either side does not count: its rps ratio is 0.
        if [[ ${ae[$anchor]} != - || $ge != - ]]; then rr=0; errs[$anchor]=$(( ${errs[$anchor]:-0} + 1 )); ((bad_runs++)); fi
        printf '%-6s %-8s %12s %10s   %12s %10s   %9s %9s%s\n' "$i" "$anchor" "${ar[$anchor]}" "${al[$anchor]}" "$gr" "$gl" "$rr" "$lr" "$note"
        rrs[$anchor]+="$rr "; lrs[$anchor]+="$lr "; ars[$anchor]+="${ar[$anchor]} "; als[$anchor]+="${al[$anchor]} "
      done
    done
    g=$(median "${grs[@]}")
    for anchor in "${anchors[@]}"; do
      # shellcheck disable=SC2086 # space-separated lists of numbers
      local ma=$(median ${ars[$anchor]}) mal=$(median ${als[$anchor]}) mr=$(median ${rrs[$anchor]}) ml=$(median ${lrs[$anchor]})
      printf '%-6s %-8s %12s %10s   %12s %10s   %9s %9s\n' median "$anchor" "$ma" "$mal" "$g" "$(median "${gls[@]}")" "$mr" "$ml"
      summary+=("$(printf '%-8s %-10s vs %-8s rps ratio %s  p99 ratio %s  (median rps anchor %s, gatehouse %s; p99 ms anchor %s, gatehouse %s)%s' \
        "$cur_mode" "$file" "$anchor" "$mr" "$ml" "$ma" "$g" "$mal" "$(median "${gls[@]}")" \
        "$( ((${errs[$anchor]:-0})) && echo "  !! errors in ${errs[$anchor]} of $ROUNDS rounds")")")
    done
    unset rrs lrs ars als errs
  done
  stop_gatehouse
}

# ---------------------------------------------------------------- panel
STOCK_DIR=$here/jetty-stock
stock_jvms=()
start_stock() { # name class mode-or-kind port [proxyTo]: a stock Jetty anchor or ceiling from bench/jetty-stock
  local name=$1 cls=$2 pid; shift 2
  java -cp "$STOCK_DIR/target/jetty-stock-1.jar:$STOCK_DIR/target/lib/*" "anchor.$cls" "$@" > "$TMP/$name.out" 2>&1 &
  pid=$!
  started[$pid]=$name
  stock_jvms+=("$pid")
  jvm_of_port[$2]=$pid
  if [[ $1 == forward* ]]; then
    wait_forward_ready "$name" "$pid" "$2" "$READY_TIMEOUT" || { cat "$TMP/$name.out" >&2; exit 1; }
  else
    wait_ready "$name" "$pid" "http://127.0.0.1:$2/small.txt" "$READY_TIMEOUT" || { cat "$TMP/$name.out" >&2; exit 1; }
  fi
}
stop_stock() { local pid; for pid in "${stock_jvms[@]}"; do stop_pid "$pid"; done; stock_jvms=(); }

# While one panel entry is measured the other JVMs are paused (SIGSTOP): an
# idle JVM's background threads (a log consumer's wait loop, the JIT, timers) take CPU from
# whatever is being measured on a 2-core machine. Until 2026-12-07 an idle Gatehouse took a third
# of a core this way and so slowed every anchor measured beside it.
isolate() { # port: pause every panel JVM but the one on this port; no port: resume them all
  local port
  for port in "${!jvm_of_port[@]}"; do
    kill -0 "${jvm_of_port[$port]}" 2>/dev/null || { unset "jvm_of_port[$port]"; continue; }
    if [[ -z ${1:-} || $port == "$1" ]]; then kill -CONT "${jvm_of_port[$port]}"; else kill -STOP "${jvm_of_port[$port]}"; fi
  done
}

panel_rows=()
panel_row() { # label file target-rps target-p99 entry... (entry = name:port; the first after gatehouse is the floor)
  local label=$1 file=$2 trps=$3 tp99=$4 e n p i; shift 4
  local -a entries=("$@")
  declare -A rr=() ll=() ee=()
  echo
  echo "-- $label ($cur_mode /$(path_of "$GH_PORT" "$file")): ${entries[*]}"
  if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then
    for e in "${entries[@]}"; do isolate "${e#*:}"; run_wrk "${e#*:}" "$file" "$WARMUP" "$TMP/panel-$label-warm-${e%%:*}.txt"; done
  fi
  for ((i = 1; i <= ROUNDS; i++)); do
    for e in "${entries[@]}"; do
      n=${e%%:*} p=${e#*:}
      isolate "$p"
      run_wrk "$p" "$file" "$DUR" "$TMP/panel-$label-$i-$n.txt"
      [[ $ERRS != - ]] && { ee[$n]+="round $i: $ERRS; "; ((bad_runs++)); RPS=0; }
      rr[$n]+="$RPS " ll[$n]+="$P99 "
    done
  done
  isolate
  local g gl f fl row
  # shellcheck disable=SC2086 # space-separated lists of numbers
  g=$(median ${rr[gatehouse]}) gl=$(median ${ll[gatehouse]})
  local floor=${entries[1]%%:*}
  # shellcheck disable=SC2086
  f=$(median ${rr[$floor]}) fl=$(median ${ll[$floor]})
  printf '   %-16s %10s %9s %9s %9s   rounds (rps)\n' entry rps p99ms "gh/this" "gh p99/this"
  for e in "${entries[@]}"; do
    n=${e%%:*}
    # shellcheck disable=SC2086
    local mr=$(median ${rr[$n]}) ml=$(median ${ll[$n]})
    printf '   %-16s %10.0f %9.2f %9s %9s   %s%s\n' "$n" "$mr" "$ml" "$(ratio "$mr" "$g")" "$(ratio "$ml" "$gl")" "${rr[$n]}" "${ee[$n]:+  !! errors (the round counts as 0): ${ee[$n]}}"
  done
  local rps_ratio p99_ratio met=yes
  rps_ratio=$(ratio "$f" "$g") p99_ratio=$(ratio "$fl" "$gl")
  awk -v r="$rps_ratio" -v t="$trps" 'BEGIN{exit !(r >= t)}' || met=no
  [[ $tp99 != - ]] && { awk -v r="$p99_ratio" -v t="$tp99" 'BEGIN{exit !(r <= t)}' || met=no; }
  row=$(printf '%-16s gatehouse %8.0f rps p99 %6.2f ms | %-14s %8.0f rps p99 %6.2f ms | ratio %5s (target >= %s) p99 ratio %5s (target %s) | %s' \
    "$label" "$g" "$gl" "$floor" "$f" "$fl" "$rps_ratio" "$trps" "$p99_ratio" "$( [[ $tp99 == - ]] && echo none || echo "<= $tp99")" \
    "$( [[ $met == yes ]] && echo met || echo "NOT met")")
  echo "   => $row"
  panel_rows+=("$row")
}

measure_panel() {
  if [[ ! -f $STOCK_DIR/target/jetty-stock-1.jar || -n $(find "$STOCK_DIR/src" "$STOCK_DIR/pom.xml" -newer "$STOCK_DIR/target/jetty-stock-1.jar" 2>/dev/null) ]]; then
    command -v mvn >/dev/null || die "bench/jetty-stock is not built and mvn is not on PATH"
    echo "building the stock Jetty anchors: (cd $STOCK_DIR && mvn -q -B package)"
    (cd "$STOCK_DIR" && mvn -q -B package) || die "building bench/jetty-stock failed"
  fi
  free_port; local hello_servlet=$REPLY; free_port; local hello_core=$REPLY
  free_port; local hello_servlet_64k=$REPLY; free_port; local hello_core_64k=$REPLY
  free_port; local stock_core=$REPLY; free_port; local stock_async=$REPLY; free_port; local stock_fwd_core=$REPLY

  cur_mode=cache
  start_gatehouse cache
  start_stock hello-servlet Hello servlet "$hello_servlet"
  start_stock hello-core Hello core "$hello_core"
  for f in small.txt 64k.bin; do # the first requests fill both caches
    check_path gatehouse "$GH_PORT" "$f" && check_path gatehouse "$GH_PORT" "$f" || exit 1
    check_path nginx-cache "$NGINX_CACHE_PORT" "$f" && check_path nginx-cache "$NGINX_CACHE_PORT" "$f" || exit 1
  done
  panel_row "cache hit 64 B" small.txt 0.7 2.0 "gatehouse:$GH_PORT" "nginx-hit:$NGINX_CACHE_PORT" \
    "hello-servlet:$hello_servlet" "hello-core:$hello_core"
  stop_stock
  # the same ceilings for the large row: 64 KiB (the size of 64k.bin) from memory
  start_stock hello-servlet Hello servlet "$hello_servlet_64k" 65536
  start_stock hello-core Hello core "$hello_core_64k" 65536
  panel_row "cache hit 64 KiB" 64k.bin 1.0 - "gatehouse:$GH_PORT" "nginx-hit:$NGINX_CACHE_PORT" \
    "hello-servlet:$hello_servlet_64k" "hello-core:$hello_core_64k"
  stop_stock
  stop_gatehouse

  cur_mode=reverse
  start_gatehouse reverse
  start_stock stock-servlet Stock reverse "$JETTY_PORT" "http://127.0.0.1:$ORIGIN_PORT"
  start_stock stock-core Stock reverse-core "$stock_core" "http://127.0.0.1:$ORIGIN_PORT"
  start_stock stock-async Stock reverse-async "$stock_async" "http://127.0.0.1:$ORIGIN_PORT"
  panel_row "reverse 64 B" small.txt 1.0 1.0 "gatehouse:$GH_PORT" "stock-servlet:$JETTY_PORT" "stock-core:$stock_core" "nginx:$ANCHOR_PORT"
  panel_row "reverse 64 KiB" 64k.bin 1.0 - "gatehouse:$GH_PORT" "stock-servlet:$JETTY_PORT" "stock-async:$stock_async"
  stop_stock
  stop_gatehouse

  cur_mode=forward
  start_gatehouse forward
  start_stock stock-servlet-fwd Stock forward "$JETTY_FWD_PORT"
  start_stock stock-core-fwd Stock forward-core "$stock_fwd_core"
  local squid=(); [[ -n $SQUID ]] && squid=("squid:$SQUID_PORT")
  panel_row "forward 64 B" small.txt 1.0 - "gatehouse:$GH_PORT" "stock-servlet:$JETTY_FWD_PORT" "stock-core:$stock_fwd_core" "${squid[@]}"
  stop_stock
  stop_gatehouse

  echo
  echo "==== panel: Gatehouse against the floor of each row (rps ratio: higher is better; p99 ratio: lower is better)"
  printf '%s\n' "${panel_rows[@]}"
}

case $mode in
  panel) measure_panel ;;
  reverse|forward|cache) measure_mode "$mode" ;;
  all) measure_mode reverse; measure_mode forward ;;
esac

if [[ $mode != panel ]]; then
  echo
  echo "==== summary: ratio = gatehouse / anchor (rps: higher is better; p99: lower is better)"
  printf '%s\n' "${summary[@]}"
fi
echo "load avg at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if ((bad_runs)); then
  echo "bench: $bad_runs measured round(s) had non-2xx responses or socket errors; see above" >&2
  exit 4
fi
