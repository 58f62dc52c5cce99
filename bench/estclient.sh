#!/usr/bin/env bash
# Start-up benchmark of estclient (not a test). See bench/README.md.
#
#   bench/estclient.sh [-n RUNS]
#
# Starts the zero-config est4j server on a free port, then runs each command RUNS times (default
# 10) and prints the median and max wall time and the median peak RSS, beside `java -version` as
# the JVM floor, with ratios to that floor. estclient runs through bin/estclient with its AppCDS
# archive (built by a first, unmeasured run) and with ESTCLIENT_CDS=0 for comparison.
set -euo pipefail
RUNS=10
while [ $# -gt 0 ]; do
  case "$1" in
    -n) RUNS=$2; shift 2 ;;
    *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/est4j-cli/target/est4j.jar"
est="$root/bin/estclient"
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package -pl est4j-cli -am)
work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

java -jar "$jar" -listen 127.0.0.1:0 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
  port=$(grep -ao 'listening on https://127.0.0.1:[0-9]*' "$work/server.log" | sed 's/.*://' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
server=localhost:$port
cd "$work"
"$est" cacerts -server "$server" -insecure -rootout -out anchor.pem
openssl ecparam -genkey -name prime256v1 -noout -out key.pem 2>/dev/null
"$est" cacerts -server "$server" -explicit anchor.pem >/dev/null   # builds the CDS archive

# measure NAME CMD...: RUNS runs; prints "NAME median_s max_s median_rss_MB"
measure() {
  local name=$1; shift
  : >"$work/t"
  for _ in $(seq 1 "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/one" "$@" >/dev/null 2>&1 || { echo "$name failed" >&2; "$@"; exit 1; }
    cat "$work/one" >>"$work/t"
  done
  local wmed wmax rmed
  wmed=$(sort -n -k1 "$work/t" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  wmax=$(sort -n -k1 "$work/t" | awk 'END {print $1}')
  rmed=$(sort -n -k2 "$work/t" | awk '{a[NR]=$2} END {printf "%.1f", a[int((NR+1)/2)]/1024}')
  echo "$name|$wmed|$wmax|$rmed"
}

{
  measure "java -version" java -version
  measure "estclient version" "$est" version
  measure "estclient version (no CDS)" env ESTCLIENT_CDS=0 "$est" version
  measure "estclient cacerts" "$est" cacerts -server "$server" -explicit anchor.pem
  measure "estclient cacerts (no CDS)" env ESTCLIENT_CDS=0 "$est" cacerts -server "$server" -explicit anchor.pem
  measure "estclient enroll" "$est" enroll -server "$server" -explicit anchor.pem -key key.pem -cn bench
} >"$work/results"

echo "estclient start-up, $RUNS runs each ($(java -version 2>&1 | head -1); $(nproc) CPUs)"
awk -F'|' 'NR==1 {b=$2; br=$4}
     {printf "%-28s median %6.3f s  max %6.3f s  x%4.1f floor   RSS %6.1f MB  x%4.1f\n", $1, $2, $3, $2/b, $4, $4/br}' "$work/results"
