#!/usr/bin/env bash
# Warm start: how soon a fresh proxy answers, and how soon it runs at full speed, all on 127.0.0.1.
#
# Usage: bench/warmup.sh         (from anywhere; under 3 minutes, build included)
#
# Needs, besides the .NET SDK: redis-server and redis-cli (Debian: apt-get install redis-server redis-tools).
#
# Starts a private redis-server, then for each repetition and each scenario starts a fresh proxy through the warm-up
# probe of RedisProxy.Benchmarks (`warmup` mode), which measures:
#   - the time from starting `dotnet RedisProxy.Api.dll` to the first answer to HTTP `GET /ping` and to RESP `PING`,
#     both polled every half millisecond;
#   - the requests answered in each second under load from that first answer: HTTP GET hits, RESP GET hits and a
#     forwarded RESP INCR, 16 closed-loop connections (one request in flight each), and the proxy's CPU time per second.
# The first repetition runs each scenario for WARMUP_STEADY_SECONDS; its last WARMUP_STEADY_WINDOW seconds are the
# scenario's steady throughput, which every repetition's first seconds are compared with. The probe runs with
# DOTNET_TieredCompilation=0 and warms its own loops up before it starts the proxy, so only the proxy warms up.
# Writes bench/results/warmup.md and warmup.json and prints the table.
#
# Settings (environment): WARMUP_REPETITIONS (default 5), WARMUP_SECONDS (seconds measured per fresh proxy, default 5),
# WARMUP_STEADY_SECONDS (default 12), WARMUP_STEADY_WINDOW (default 4), WARMUP_CONNECTIONS (default 16),
# BENCH_PROXY_ENV (settings for every proxy, e.g. "DOTNET_TieredPGO=0"; default none: the shipped defaults),
# WARMUP_PROXY (the proxy to start instead of the Release build: a published RedisProxy.Api.dll, or a native executable),
# BENCH_PORT_BASE (default 17600; ports BASE+1 .. BASE+4 must be free).
set -euo pipefail

if [[ -z "${BENCH_BOUNDED:-}" ]]; then
  BENCH_BOUNDED=1 exec timeout --signal=TERM --kill-after=10 180 "$0" "$@"
fi

cd "$(dirname "$0")/.."
ROOT=$PWD
REPETITIONS=${WARMUP_REPETITIONS:-5}
SECONDS_MEASURED=${WARMUP_SECONDS:-5}
STEADY_SECONDS=${WARMUP_STEADY_SECONDS:-12}
STEADY_WINDOW=${WARMUP_STEADY_WINDOW:-4}
CONNECTIONS=${WARMUP_CONNECTIONS:-16}
BASE=${BENCH_PORT_BASE:-17600}
read -r -a PROXY_ENV <<<"${BENCH_PROXY_ENV:-}"
REDIS_PORT=$((BASE + 1)) HTTP_PORT=$((BASE + 2)) MANAGEMENT_PORT=$((BASE + 3)) RESP_PORT=$((BASE + 4))
SCENARIOS=(http-get resp-get resp-incr)
RESULTS=$ROOT/bench/results
WORK=$(mktemp -d)
RAW=$WORK/raw.jsonl
PIDS=()

for tool in redis-server redis-cli dotnet python3; do
  command -v "$tool" >/dev/null || { echo "bench/warmup.sh: '$tool' is missing" >&2; exit 2; }
done

source bench/common.sh

# The probe stops its proxy when it ends; if the bound stops the probe first, the proxy is stopped here.
stop_proxies() {
  for file in "$WORK"/*.pid; do
    [[ -e $file ]] && kill "$(cat "$file")" 2>/dev/null || true
  done
  cleanup
}
trap stop_proxies EXIT

require_free_ports $((BASE + 1)) $((BASE + 4))
build_release
API_DLL=${WARMUP_PROXY:-$API_DLL}

redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do port_answers "$REDIS_PORT" && break; sleep 0.1; done

# The proxy's settings go to the probe as PROXY_ENV_NAME=value; it passes them on as NAME=value and keeps its own
# DOTNET_TieredCompilation=0 from the proxy.
probe_env=(ASPNETCORE_ENVIRONMENT=Production PROXY_IP=127.0.0.1 PROXY_PORT=$HTTP_PORT PROXY_MANAGEMENT_PORT=$MANAGEMENT_PORT
  PROXY_RESP_PORT=$RESP_PORT REDIS_SERVER_IP=127.0.0.1 REDIS_SERVER_PORT=$REDIS_PORT CACHE_CAPACITY=100000)
for setting in "${PROXY_ENV[@]}"; do probe_env+=("PROXY_ENV_$setting"); done

echo "== $REPETITIONS repetitions of ${SCENARIOS[*]}: a fresh proxy each, ${SECONDS_MEASURED}s under load" \
  "(the first repetition ${STEADY_SECONDS}s, its last ${STEADY_WINDOW}s are the steady figure)"
for repetition in $(seq 1 "$REPETITIONS"); do
  seconds=$SECONDS_MEASURED
  ((repetition == 1)) && seconds=$STEADY_SECONDS
  for scenario in "${SCENARIOS[@]}"; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    log=$WORK/proxy-$repetition-$scenario.log
    line=$(env "${probe_env[@]}" DOTNET_TieredCompilation=0 timeout $((seconds + 30)) dotnet "$BENCH_DLL" warmup "$API_DLL" \
      "$HTTP_PORT" "$RESP_PORT" "$REDIS_PORT" "$scenario" "$seconds" "$CONNECTIONS" "$log") || {
      echo "bench/warmup.sh: the probe failed ($scenario, repetition $repetition); the proxy's log:" >&2
      tail -n 20 "$log" >&2 || true
      exit 1
    }
    rm -f "$log.pid"
    echo "{\"repetition\":$repetition,\"load_before\":$load,\"probe\":$line}" >>"$RAW"
    echo "   $repetition $scenario (load $load): $line"
  done
done

mkdir -p "$RESULTS"
python3 bench/warmup_report.py "$RAW" "$RESULTS" --steady-window "$STEADY_WINDOW" --proxy-env "${BENCH_PROXY_ENV:-}" --proxy "$API_DLL"
