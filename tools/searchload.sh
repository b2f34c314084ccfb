#!/usr/bin/env bash
# searchload.sh BIN PORT WORD: serves BIN (a bridge binary, e.g. one built from an older commit)
# on 127.0.0.1:PORT against the Neo4j in NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD (already migrated
# and seeded), sends anonymous searches for WORD as the peer bench's W5 and W5b do (totalCount
# and the first 20), and prints the p50 and p90 of 30 sequential requests and the throughput of
# 16 concurrent clients sending 160. Ten warm-ups first. Used to compare commits on one
# database (docs/performance.md); a quick look, not a benchmark: `make bench` and the peer
# bench are those.
set -euo pipefail
bin=$1 port=$2 word=$3
BRIDGE_ENV=development BRIDGE_ADDR=127.0.0.1:$port BRIDGE_ERASURE_JOURNAL=$(mktemp) "$bin" serve >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.3; done
body=$(printf '{"query":"{ people(filter: {text: \\"%s\\"}, first: 20) { totalCount edges { node { id name title languages country { code } } } } }"}' "$word")
send() { curl -s -o /dev/null -w "$1" -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/graphql"; }
for _ in $(seq 10); do send ''; done
for _ in $(seq 30); do send '%{time_total}\n'; done | sort -n |
  awk -v w="$word" '{a[NR]=$1*1000} END {printf "%s: sequential p50 %.1f ms, p90 %.1f ms (30 requests)\n", w, a[int(NR/2)+1], a[int(NR*0.9)]}'
start=$(date +%s.%N)
codes=$(seq 160 | xargs -P 16 -I{} curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/graphql" | sort | uniq -c | tr -s ' \n' ' ')
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v w="$word" -v c="$codes" 'BEGIN {printf "%s: 16 concurrent clients, %.1f req/s (status counts:%s)\n", w, 160/(e-s), c}'
