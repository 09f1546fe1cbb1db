#!/usr/bin/env bash
# How stale can a proxy with tracking be? Measured over one redis-server and over a Redis Cluster, all on 127.0.0.1.
#
# Usage: bench/staleness.sh      (from anywhere; under 3 minutes, build included)
#
# Needs, besides the .NET SDK: redis-server and redis-cli (Debian: apt-get install redis-server redis-tools) and curl.
#
# For each backend it starts STALENESS_PROXIES proxies with CACHE_INVALIDATION=tracking, then runs the staleness probe
# of RedisProxy.Benchmarks. For each write: every proxy caches the key (checked over HTTP), a writer changes it directly
# on Redis, and the proxies are read in turn over RESP, one read in flight at a time, until each answers the new value.
# The time from the write's acknowledgement until no proxy serves the old value is bracketed: at least until the last
# read that got the old value was sent, at most until the read after which all had answered the new one. The first
# STALENESS_WARMUP writes are not counted (fresh proxies are still being compiled by the JIT). Prints p50/p99/max of
# both bounds per backend and writes bench/results/staleness.md.
#
# Settings (environment): STALENESS_PROXIES (default 3), STALENESS_WRITES (default 1000, per backend),
# STALENESS_WARMUP (default 1000), BENCH_PORT_BASE (default 17500; ports BASE+1 .. BASE+40 must be free).
set -euo pipefail

if [[ -z "${BENCH_BOUNDED:-}" ]]; then
  BENCH_BOUNDED=1 exec timeout --signal=TERM --kill-after=10 180 "$0" "$@"
fi

cd "$(dirname "$0")/.."
ROOT=$PWD
PROXIES=${STALENESS_PROXIES:-3}
WRITES=${STALENESS_WRITES:-1000}
WARMUP=${STALENESS_WARMUP:-1000}
BASE=${BENCH_PORT_BASE:-17500}
WORK=$(mktemp -d)
PIDS=()

for tool in redis-server redis-cli dotnet curl; do
  command -v "$tool" >/dev/null || { echo "bench/staleness.sh: '$tool' is missing" >&2; exit 2; }
done

source bench/common.sh
trap cleanup EXIT

wait_until() {
  local what=$1
  shift
  for _ in $(seq 1 300); do
    "$@" && return 0
    sleep 0.1
  done
  echo "bench/staleness.sh: $what did not happen within 30 s" >&2
  tail -n 20 "$WORK"/*.log >&2 || true
  exit 1
}

require_free_ports $((BASE + 1)) $((BASE + 40))
build_release

start_redis() {
  local port=$1
  shift
  mkdir -p "$WORK/$port"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$WORK/$port" --save '' --appendonly no "$@" >"$WORK/redis-$port.log" 2>&1 &
  PIDS+=($!)
  wait_until "redis-server on $port answering" port_answers "$port"
}

echo "== Starting a redis-server and a cluster of 3 primaries and 3 replicas"
SINGLE=$((BASE + 1))
start_redis "$SINGLE"
CLUSTER_NODES=()
for port in $(seq $((BASE + 11)) $((BASE + 16))); do
  start_redis "$port" --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000
  CLUSTER_NODES+=("127.0.0.1:$port")
done
redis-cli --cluster create "${CLUSTER_NODES[@]}" --cluster-replicas 1 --cluster-yes >"$WORK/cluster-create.log"
cluster_ok() { redis-cli -p $((BASE + 11)) CLUSTER INFO | grep -q 'cluster_state:ok'; }
wait_until "the cluster becoming healthy" cluster_ok

# Started from its output folder, so it finds its appsettings.json (Warning level: no log line per request).
start_proxies() {
  local connection=$1
  PROXY_PIDS=()
  PROXY_URLS=()
  PROXY_RESP_PORTS=()
  for i in $(seq 0 $((PROXIES - 1))); do
    local http=$((BASE + 21 + 3 * i)) management=$((BASE + 22 + 3 * i)) resp=$((BASE + 23 + 3 * i))
    env ASPNETCORE_ENVIRONMENT=Production PROXY_IP=127.0.0.1 PROXY_PORT=$http PROXY_MANAGEMENT_PORT=$management PROXY_RESP_PORT=$resp \
      ConnectionStrings__redis="$connection" CACHE_INVALIDATION=tracking \
      bash -c 'cd "$(dirname "$1")" && exec dotnet "$1"' proxy "$API_DLL" >"$WORK/proxy-$i.log" 2>&1 &
    PROXY_PIDS+=($!)
    PIDS+=($!)
    PROXY_URLS+=("http://127.0.0.1:$http/")
    PROXY_RESP_PORTS+=("$resp")
    tracking_armed() { curl -sf "http://127.0.0.1:$1/status" | grep -q '"invalidation":{"mode":"tracking","active":true'; }
    wait_until "proxy $i arming tracking" tracking_armed "$management"
  done
}

RESULTS=()
measure() {
  local label=$1 connection=$2
  start_proxies "$connection"
  echo "== $label: $PROXIES proxies with tracking, $WRITES writes"
  local urls ports line
  urls=$(IFS=,; echo "${PROXY_URLS[*]}")
  ports=$(IFS=,; echo "${PROXY_RESP_PORTS[*]}")
  line=$(dotnet "$BENCH_DLL" staleness "$label" "$connection" "$urls" "$ports" "$WARMUP" "$WRITES" 60 | sed -n 's/^STALENESS_JSON //p')
  echo "   $line"
  RESULTS+=("$line")
  stop "${PROXY_PIDS[@]}"
}

measure single "127.0.0.1:$SINGLE"
measure cluster "$(IFS=,; echo "${CLUSTER_NODES[*]}")"

{
  echo "| Backend | Proxies | Writes | at most: p50 (ms) | p99 (ms) | max (ms) | at least: p50 (ms) | p99 (ms) | not converged in 2 s |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for line in "${RESULTS[@]}"; do
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("| " + " | ".join(str(r[k]) for k in ("backend","proxies","writes","p50_ms","p99_ms","max_ms","lower_p50_ms","lower_p99_ms","unconverged")) + " |")' "$line"
  done
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores with bench/staleness.sh (STALENESS_PROXIES=$PROXIES, STALENESS_WRITES=$WRITES, STALENESS_WARMUP=$WARMUP)."
} >bench/results/staleness.md
cat bench/results/staleness.md
