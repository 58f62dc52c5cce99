#!/usr/bin/env bash
# The certificate store's cost: /simpleenroll keep-alive, 64 connections, against the same
# config-file server with the in-memory store, the default H2 file and PostgreSQL, one after the
# other in this run; prints req/s and req/cpu of each and their ratio to in-memory. See bench/README.md.
#
#   bench/store.sh [-d 20s] [-w 10s] [-r 2] [-stores memory,h2,postgres] [-crypto auto] [-jar PATH]
set -euo pipefail
DUR=20s
WARMUP=10s
REPEATS=2
STORES=memory,h2,postgres
CRYPTO=auto
JAR_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    -d) DUR=$2; shift 2 ;;
    -w) WARMUP=$2; shift 2 ;;
    -r) REPEATS=$2; shift 2 ;;
    -stores) STORES=$2; shift 2 ;;
    -crypto) CRYPTO=$2; shift 2 ;;
    -jar) JAR_ARGS=(-jar "$2"); shift 2 ;; # another build, e.g. to compare before/after a change
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$(mktemp -d "${TMPDIR:-/tmp}/est4j-bench-store.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

IFS=, read -r -a KINDS <<<"$STORES"
for kind in "${KINDS[@]}"; do
  echo "=== store: $kind" >&2
  "$HERE/run.sh" -store "$kind" -only enroll-ka-64 -d "$DUR" -w "$WARMUP" -r "$REPEATS" -crypto "$CRYPTO" "${JAR_ARGS[@]}" \
    | tee "$OUT/$kind.txt"
done

echo
echo "store comparison, enroll-ka-64 (best run of $REPEATS, $DUR each; ratio to the in-memory store of this run):"
printf '%-10s %9s %9s %9s %9s %8s %s\n' store "req/s" "p99(ms)" "req/cpu" "ratio" "cpu-ratio" status
base_rps=""; base_eff=""
for kind in "${KINDS[@]}"; do
  # rows: scenario conns run req/s p50 p99 non2xx sockerr rss srv other req/cpu status
  best=$(awk '$1=="enroll-ka-64" && $3 ~ /^[0-9]+$/ {print}' "$OUT/$kind.txt" | sort -k4,4n | tail -1)
  rps=$(echo "$best" | awk '{print $4}'); p99=$(echo "$best" | awk '{print $6}')
  eff=$(echo "$best" | awk '{print $12}'); status=$(echo "$best" | awk '{print $13}')
  if [ "$kind" = memory ]; then base_rps=$rps; base_eff=$eff; fi
  ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "-" }')
  cratio=$(awk -v a="$eff" -v b="$base_eff" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "-" }')
  printf '%-10s %9s %9s %9s %9s %8s %s\n' "$kind" "$rps" "$p99" "$eff" "$ratio" "$cratio" "$status"
done
echo "target: each durable store >= 0.50 of the in-memory req/s"
