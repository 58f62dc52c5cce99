#!/usr/bin/env bash
# Load benchmark of the est4j EST server with wrk. See bench/README.md.
#
#   bench/run.sh [-crypto auto|conscrypt|jdk] [-d 30s] [-w 15s] [-r 2] [-only LIST]
#                [-access-log] [-jfr FILE] [-jar PATH] [-raw DIR] [-store memory|h2|postgres]
#
# Starts the zero-config test server on a free port, warms it up, runs wrk for each scenario
# (each -r times), prints a table and stops the server (also on Ctrl-C / errors).
set -euo pipefail

CRYPTO=auto
DUR=30s
WARMUP=15s
REPEATS=2
ONLY=""
ACCESS_LOG=OFF
JFR=""
JAR=""
RAW=""
STORE=""
AUDIT=on
THREADS=2

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
Options:
  -crypto MODE   server crypto provider: auto (Conscrypt when it loads), conscrypt, jdk  [auto]
  -d DUR         wrk duration per run                                                [30s]
  -w DUR         warm-up duration (keep-alive enroll, then new-connection enroll)    [15s]
  -r N           runs per scenario                                                   [2]
  -only LIST     comma-separated scenario names to run (default: all), see below
  -access-log    keep the per-request access log on (default: EST4J_ACCESS_LOG_LEVEL=OFF)
  -jfr FILE      record a JFR profile (settings=profile) of the whole measured phase
  -jar PATH      server jar (default: est4j-cli/target/est4j.jar, built if missing)
  -raw DIR       keep wrk's raw output and the server log in DIR
  -store KIND    run the server from a config file (open enrollment, transient CA) whose certificate
                 store is memory, h2 (the default H2 file in a temp data_dir) or postgres (a
                 PostgreSQL started here with Debian's initdb/pg_ctl); default: the zero-config server
  -audit on|off  with -store: the audit trail (a JSON line and a batched row per request) on (default) or off
Scenarios: enroll-ka-8 enroll-ka-64 enroll-close-8 enroll-close-64 cacerts-ka-64
Environment: JAVA (java binary), JAVA_OPTS (default -Xmx512m -XX:MaxDirectMemorySize=256m -XX:+UseParallelGC, as bin/estserver),
  MVN_ARGS (extra ./mvnw arguments for the build, e.g. -o).
EOF
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    -crypto|--crypto) CRYPTO=$2; shift 2 ;;
    -d) DUR=$2; shift 2 ;;
    -w) WARMUP=$2; shift 2 ;;
    -r) REPEATS=$2; shift 2 ;;
    -only) ONLY=$2; shift 2 ;;
    -access-log) ACCESS_LOG=INFO; shift ;;
    -jfr) JFR=$2; shift 2 ;;
    -jar) JAR=$2; shift 2 ;;
    -raw) RAW=$2; shift 2 ;;
    -store) STORE=$2; shift 2 ;;
    -audit) AUDIT=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 >&2 ;;
  esac
done

for tool in wrk openssl curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    if [ "$tool" = wrk ]; then
      echo "wrk is not installed: apt-get install wrk (or build https://github.com/wg/wrk)" >&2
    else
      echo "$tool is not installed (apt-get install $tool)" >&2
    fi
    exit 1
  fi
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:MaxDirectMemorySize=256m -XX:+UseParallelGC}
if [ -z "$JAR" ]; then
  JAR=$ROOT/est4j-cli/target/est4j.jar
  if [ ! -f "$JAR" ]; then
    echo "building $JAR ..." >&2
    (cd "$ROOT" && ./mvnw -q -DskipTests ${MVN_ARGS:-} package -pl est4j-cli -am)
  fi
fi
[ -f "$JAR" ] || { echo "no server jar at $JAR" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/est4j-bench.XXXXXX")
SERVER_PID=""
PG_DIR=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$PG_DIR" ]; then
    pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
  if [ -n "$RAW" ]; then
    mkdir -p "$RAW" && cp "$TMP"/* "$RAW"/ 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- store (optional) -----------------------------------------------------------------------
# PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
pg_run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
SERVER_ARGS=(-listen 127.0.0.1:0)
if [ -n "$STORE" ]; then
  {
    echo "allow_unauthenticated_enrollment: true   # as the zero-config server, so the runs compare"
    echo "data_dir: $TMP/est4j-data"
  } >"$TMP/estserver.yaml"
  case "$STORE" in
    memory) echo "store: memory" >>"$TMP/estserver.yaml" ;;
    h2) ;; # no store key: the default H2 database in data_dir
    postgres)
      PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
      [ -x "$PG_BIN/initdb" ] || { echo "no PostgreSQL binaries (apt-get install postgresql, or PG_BIN=...)" >&2; exit 1; }
      PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/est4j-bench-pg.XXXXXX")
      PG_PASSWORD=$(openssl rand -hex 16)
      echo "$PG_PASSWORD" >"$PG_DIR/pw"
      [ "$(id -u)" = 0 ] && chown -R postgres: "$PG_DIR"
      PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
      pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U est4j -A scram-sha-256 --pwfile="$PG_DIR/pw" -E UTF8 \
        >"$TMP/initdb.log" 2>&1 || { cat "$TMP/initdb.log" >&2; exit 1; }
      pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null \
        || { cat "$PG_DIR/server.log" >&2; exit 1; }
      cat >>"$TMP/estserver.yaml" <<EOF2
store:
  url: jdbc:postgresql://127.0.0.1:$PG_PORT/postgres
  user: est4j
  password_file: $PG_DIR/pw
EOF2
      ;;
    *) echo "-store must be memory, h2 or postgres" >&2; exit 2 ;;
  esac
  echo "tls: {listen_address: \"127.0.0.1:0\"}" >>"$TMP/estserver.yaml"
  [ "$AUDIT" = off ] && echo "audit: false" >>"$TMP/estserver.yaml"
  SERVER_ARGS=(-config "$TMP/estserver.yaml")
fi

# --- server ---------------------------------------------------------------------------------
JFR_OPT=()
if [ -n "$JFR" ]; then
  JFR_OPT=("-XX:+FlightRecorder")
fi
# shellcheck disable=SC2086
EST4J_ACCESS_LOG_LEVEL=$ACCESS_LOG "$JAVA" $JAVA_OPTS "${JFR_OPT[@]}" -jar "$JAR" \
  "${SERVER_ARGS[@]}" -crypto "$CRYPTO" >"$TMP/server.out" 2>"$TMP/server.log" &
SERVER_PID=$!

PORT=""
for _ in $(seq 1 300); do
  PORT=$(sed -n 's|.*listening on https://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$TMP/server.log" | head -1)
  [ -n "$PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited:" >&2; cat "$TMP/server.log" >&2; exit 1; }
  sleep 0.2
done
[ -n "$PORT" ] || { echo "server did not log its listening line in 60 s" >&2; cat "$TMP/server.log" >&2; exit 1; }
URL=https://127.0.0.1:$PORT
PROVIDER=$(sed -n 's/.* crypto: //p' "$TMP/server.log" | head -1)
VERSION=$(sed -n 's/.* est4j \([^ ]*\) listening on.*/\1/p' "$TMP/server.log" | head -1)

# --- fixed CSR, sanity checks with a verified TLS connection --------------------------------
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null \
  -subj /CN=bench -outform DER 2>/dev/null | openssl base64 >"$TMP/csr.b64"
export EST4J_BENCH_CSR=$TMP/csr.b64
curl -sfk "$URL/.well-known/est/cacerts" | openssl base64 -d \
  | openssl pkcs7 -inform DER -print_certs >"$TMP/ca.pem"
code=$(curl -s --cacert "$TMP/ca.pem" -o "$TMP/enrolled.b64" -w '%{http_code}' \
  -H 'Content-Type: application/pkcs10' --data-binary @"$TMP/csr.b64" \
  "$URL/.well-known/est/simpleenroll")
if [ "$code" != 200 ] || ! openssl base64 -d <"$TMP/enrolled.b64" \
    | openssl pkcs7 -inform DER -print_certs 2>/dev/null | grep -q 'subject=CN *= *bench'; then
  echo "sanity enrollment failed (HTTP $code)" >&2; exit 1
fi

# --- measurement helpers --------------------------------------------------------------------
TICK=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }
proc_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_mb() { ps -o rss= -p "$SERVER_PID" 2>/dev/null | awk '{printf "%d", $1/1024}' || true; }
server_alive() {
  if ! kill -0 "$SERVER_PID" 2>/dev/null || grep -q ' estserver stopped' "$TMP/server.log"; then
    echo "the server (pid $SERVER_PID) stopped during the benchmark (killed from outside?); server log tail:" >&2
    tail -5 "$TMP/server.log" >&2
    exit 1
  fi
}
to_ms() { # wrk latency (e.g. 830.00us, 51.99ms, 1.12s, 2.00m) -> ms
  awk -v v="$1" 'BEGIN{
    if (v ~ /us$/) {sub(/us$/,"",v); printf "%.2f", v/1000}
    else if (v ~ /ms$/) {sub(/ms$/,"",v); printf "%.2f", v}
    else if (v ~ /m$/) {sub(/m$/,"",v); printf "%.0f", v*60000}
    else if (v ~ /s$/) {sub(/s$/,"",v); printf "%.2f", v*1000}
    else printf "?"}'
}

# wrk_run NAME CONNS DURATION SCRIPT CLOSE PATH  -> appends a row to $TMP/rows
wrk_run() {
  local name=$1 conns=$2 dur=$3 script=$4 close=$5 path=$6 out="$TMP/$1.$7.wrk"
  local b0 s0 b1 s1 w
  local args=(-t"$THREADS" -c"$conns" -d"$dur" --latency)
  [ -n "$script" ] && args+=(-s "$script")
  b0=$(busy_ticks); s0=$(proc_ticks "$SERVER_PID")
  # `times` in the subshell reports the CPU time of its child (wrk).
  (EST4J_BENCH_CLOSE=$close wrk "${args[@]}" "$URL$path" >"$out" 2>&1; times >"$out.times")
  b1=$(busy_ticks); s1=$(proc_ticks "$SERVER_PID")
  server_alive
  w=$(sed -n 2p "$out.times" | awk '{
      n=split($0,a," "); t=0; for(i=1;i<=n;i++){s=a[i]; m=s; sub(/m.*/,"",m); sec=s; sub(/^[0-9]*m/,"",sec); sub(/s$/,"",sec); t+=m*60+sec}
      print t}')
  local rps p50 p99 non2xx sockerr secs rss srv other
  rps=$(awk '/^Requests\/sec:/{printf "%.0f", $2}' "$out")
  p50=$(to_ms "$(awk '$1=="50%"{print $2}' "$out")")
  p99=$(to_ms "$(awk '$1=="99%"{print $2}' "$out")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/{print $NF}' "$out"); non2xx=${non2xx:-0}
  sockerr=$(awk '/Socket errors:/{gsub(/,/,""); print $4+$6+$8+$10}' "$out"); sockerr=${sockerr:-0}
  secs=$(awk '/requests in/{for(i=1;i<=NF;i++) if($i=="in"){v=$(i+1); sub(/s,$/,"",v); print v}}' "$out")
  rss=$(rss_mb)
  # CPU in cores over the run: server, wrk, and everything else on the machine (noise).
  srv=$(awk -v a="$s0" -v b="$s1" -v t="$TICK" -v d="$secs" 'BEGIN{printf "%.2f", (b-a)/t/d}')
  other=$(awk -v a="$b0" -v b="$b1" -v sa="$s0" -v sb="$s1" -v w="$w" -v t="$TICK" -v d="$secs" \
    'BEGIN{o=((b-a)-(sb-sa))/t - w; if (o<0) o=0; printf "%.2f", o/d}')
  local status=ok
  if [ -z "$rps" ]; then status="FAILED"; rps=0;
  elif [ "$non2xx" != 0 ] || [ "$sockerr" != 0 ]; then status="ERRORS"; fi
  local eff
  eff=$(awk -v r="$rps" -v c="$srv" 'BEGIN{if (c>0) printf "%.0f", r/c; else print "-"}')
  printf '%-16s %5s %3s %9s %9s %9s %7s %7s %6s %5s %5s %8s  %s\n' \
    "$name" "$conns" "$7" "$rps" "$p50" "$p99" "$non2xx" "$sockerr" "$rss" "$srv" "$other" "$eff" "$status" \
    | tee -a "$TMP/rows"
}

# --- run -------------------------------------------------------------------------------------
SCENARIOS=(
  "enroll-ka-8      8  $HERE/enroll.lua 0 /"
  "enroll-ka-64     64 $HERE/enroll.lua 0 /"
  "enroll-close-8   8  $HERE/enroll.lua 1 /"
  "enroll-close-64  64 $HERE/enroll.lua 1 /"
  "cacerts-ka-64    64 -                0 /.well-known/est/cacerts"
)
selected() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }

CAL=$(openssl speed -seconds 2 ecdsap256 2>/dev/null | awk '/nistp256/{printf "%.0f", $(NF-1)}')
echo "est4j $VERSION benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  $(uname -m), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "crypto: $PROVIDER   (-crypto $CRYPTO)"
STORE_DESC=$(sed -n 's/.* certificate store: //p' "$TMP/server.log" | head -1)
echo "store: ${STORE_DESC:-?}   (-store ${STORE:-none: zero-config})"
echo "jvm: $("$JAVA" -version 2>&1 | head -1)  $JAVA_OPTS   access log: $ACCESS_LOG"
echo "wrk -t$THREADS -d$DUR --latency, $REPEATS run(s) each, warm-up $WARMUP; calibration: openssl ecdsap256 ${CAL} sign/s/core"

echo "warming up ($WARMUP keep-alive enroll, $WARMUP new-connection enroll, 5s cacerts) ..." >&2
wrk_run warmup-ka 64 "$WARMUP" "$HERE/enroll.lua" 0 / w >/dev/null
wrk_run warmup-close 64 "$WARMUP" "$HERE/enroll.lua" 1 / w >/dev/null
wrk_run warmup-cacerts 64 5s "" 0 /.well-known/est/cacerts w >/dev/null
if [ -n "$JFR" ]; then
  # JFR_EXTRA e.g. "jdk.JavaExceptionThrow#enabled=true" (JDK 17+ event settings syntax)
  # shellcheck disable=SC2086
  jcmd "$SERVER_PID" JFR.start name=bench settings=profile filename="$JFR" ${JFR_EXTRA:-} >/dev/null
fi

: >"$TMP/rows"
printf '%-16s %5s %3s %9s %9s %9s %7s %7s %6s %5s %5s %8s  %s\n' \
  scenario conns run "req/s" "p50(ms)" "p99(ms)" non2xx sockerr "RSS(MB)" srvCPU other "req/cpu" status
for r in $(seq 1 "$REPEATS"); do
  for s in "${SCENARIOS[@]}"; do
    read -r name conns script close path <<<"$s"
    selected "$name" || continue
    [ "$script" = - ] && script=""
    wrk_run "$name" "$conns" "$DUR" "$script" "$close" "$path" "$r"
  done
done

if [ -n "$JFR" ]; then
  jcmd "$SERVER_PID" JFR.stop name=bench >/dev/null && echo "JFR recording: $JFR"
fi

echo
echo "summary (min..max over runs; the target check uses the run with the most req/s and its p99):"
printf '%-16s %-15s %-15s %-10s %s\n' scenario "req/s" "p99(ms)" target verdict
awk '
  { n[$1]++; r=$4; p=$6;
    if (!($1 in lo) || r<lo[$1]) lo[$1]=r; if (!($1 in hi) || r>hi[$1]) { hi[$1]=r; bp[$1]=p }
    if (!($1 in plo) || p<plo[$1]) plo[$1]=p; if (!($1 in phi) || p>phi[$1]) phi[$1]=p;
    if ($13!="ok") bad[$1]=1; order[$1]=NR }
  END {
    tr["enroll-ka-64"]=7000; tp["enroll-ka-64"]=40; tr["enroll-close-64"]=1500; tr["cacerts-ka-64"]=40000
    for (k in order) keys[order[k]]=k
    for (i=1;i<=NR;i++) if (i in keys) { k=keys[i]
      tgt = (k in tr) ? ">=" tr[k] (k in tp ? ",p99<=" tp[k] : "") : "-"
      v = "-"
      if (k in tr) { v = (hi[k]>=tr[k] && (!(k in tp) || bp[k]<=tp[k])) ? "met" : "NOT met"
                     v = v sprintf(" (%.2fx)", hi[k]/tr[k]) }
      if (bad[k]) v = v " ERRORS"
      printf "%-16s %-15s %-15s %-10s %s\n", k, lo[k] ".." hi[k], plo[k] ".." phi[k], tgt, v }
  }' "$TMP/rows"
echo "server RSS at end: $(rss_mb) MB"
echo "srvCPU / other: cores used by the server / by everything but the server and wrk (other engineers, softirq);"
echo "req/cpu: requests per CPU-second of the server, the number least disturbed by a shared machine"
errs=$(grep -c -E ' ERROR ' "$TMP/server.log" || true)
[ "$errs" = 0 ] || echo "server logged $errs ERROR line(s); see -raw DIR/server.log"
