#!/usr/bin/env bash
# End-to-end benchmark of RedisProxy against baselines measured in the same run, all on 127.0.0.1.
#
# Usage: bench/run.sh            (from anywhere; takes under 4 minutes, build included)
#
# Needs, besides the .NET SDK: wrk, redis-benchmark and redis-server. On Debian they come from the packages
# wrk, redis-tools and redis-server (apt-get install wrk redis-tools redis-server); this script installs nothing.
#
# It builds Release, starts a private redis-server, proxies (one that hits, one with CACHE_CAPACITY=1 so every
# read goes through to Redis) and the two HTTP baselines of RedisProxy.Benchmarks, drives each with wrk
# (and, when the proxy's RESP port answers, redis-benchmark against the proxy and redis-server), then writes
# bench/results/latest.json, latest.md and ratios.svg and prints the table.
#
# Settings (environment): BENCH_SECONDS (wrk duration per run, default 6), BENCH_WARMUP_SECONDS (wrk warm-up before
# each run, default 6), BENCH_CONNECTIONS (default 16),
# BENCH_PORT_BASE (default 17400; ports BASE+1 .. BASE+12 must be free), BENCH_RESP_REQUESTS (default 200000;
# times the pipeline depth, so 3.2 M at -P 16), BENCH_RESP_ROUNDS (default 3), BENCH_FORWARD_REQUESTS (default 50000, per
# run of each written or forwarded command: SET, INCR, LPUSH, HSET),
# BENCH_PROXY_ENV (settings for every proxy, e.g. "PROXY_INLINE_SCHEDULING=false"; default none: the shipped defaults).
set -euo pipefail

if [[ -z "${BENCH_BOUNDED:-}" ]]; then
  # The whole run, build included, is bounded: past 4 minutes everything is stopped.
  BENCH_BOUNDED=1 exec timeout --signal=TERM --kill-after=10 240 "$0" "$@"
fi

cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_PER_RUN=${BENCH_SECONDS:-6}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-6}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
BASE=${BENCH_PORT_BASE:-17400}
RESP_REQUESTS=${BENCH_RESP_REQUESTS:-200000}
RESP_ROUNDS=${BENCH_RESP_ROUNDS:-3}
FORWARD_REQUESTS=${BENCH_FORWARD_REQUESTS:-50000}
read -r -a PROXY_ENV <<<"${BENCH_PROXY_ENV:-}"
VALUE_BYTES=64
MISS_KEYS=10000

REDIS_PORT=$((BASE + 1))
HIT_HTTP=$((BASE + 2)) HIT_MANAGEMENT=$((BASE + 3)) HIT_RESP=$((BASE + 4))
MISS_HTTP=$((BASE + 5)) MISS_MANAGEMENT=$((BASE + 6)) MISS_RESP=$((BASE + 7))
CONSTANT_HTTP=$((BASE + 8)) REDIS_HTTP=$((BASE + 9))
QUEUED_HTTP=$((BASE + 10)) QUEUED_MANAGEMENT=$((BASE + 11)) QUEUED_RESP=$((BASE + 12))

RESULTS=$ROOT/bench/results
WORK=$(mktemp -d)
RAW=$WORK/raw.jsonl
PIDS=()

for tool in wrk redis-benchmark redis-server redis-cli dotnet python3 curl; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench/run.sh: '$tool' is missing. On Debian: apt-get install wrk redis-tools redis-server curl python3" >&2
    exit 2
  fi
done

source bench/common.sh
trap cleanup EXIT

wait_for_port() {
  local port=$1 name=$2
  for _ in $(seq 1 150); do
    port_answers "$port" && return 0
    sleep 0.2
  done
  echo "bench/run.sh: $name did not start listening on 127.0.0.1:$port; its log:" >&2
  cat "$WORK/$name.log" >&2 || true
  exit 1
}

require_free_ports $((BASE + 1)) $((BASE + 12))
build_release

echo "== Starting redis-server, the proxies and the baselines"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --protected-mode yes \
  >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
PIDS+=($!)
wait_for_port "$REDIS_PORT" redis

# Started from its output folder, so it finds its appsettings.json (content root = working directory): from
# anywhere else it runs with the default Information level and logs every request.
start_proxy() {
  local name=$1 http=$2 management=$3 resp=$4 capacity=$5
  shift 5
  env "${PROXY_ENV[@]}" "$@" ASPNETCORE_ENVIRONMENT=Production PROXY_IP=127.0.0.1 PROXY_PORT=$http PROXY_MANAGEMENT_PORT=$management \
    PROXY_RESP_PORT=$resp REDIS_SERVER_IP=127.0.0.1 REDIS_SERVER_PORT=$REDIS_PORT CACHE_CAPACITY=$capacity \
    bash -c 'cd "$(dirname "$1")" && exec dotnet "$1"' proxy "$API_DLL" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
}
start_proxy proxy-hit "$HIT_HTTP" "$HIT_MANAGEMENT" "$HIT_RESP" 100000
HIT_PID=$!
# The miss proxy gets a backend slot per connection, so it has the same requests in flight as the baseline, which has
# no limit; the queued one keeps the default MAX_CONCURRENT_REQUESTS (11), below the 16 connections, for information.
start_proxy proxy-miss "$MISS_HTTP" "$MISS_MANAGEMENT" "$MISS_RESP" 1 MAX_CONCURRENT_REQUESTS="$CONNECTIONS"
MISS_PID=$!
start_proxy proxy-miss-queued "$QUEUED_HTTP" "$QUEUED_MANAGEMENT" "$QUEUED_RESP" 1
QUEUED_PID=$!
dotnet "$BENCH_DLL" baseline-http-redis "$REDIS_HTTP" "$REDIS_PORT" >"$WORK/baseline-redis.log" 2>&1 &
REDIS_HTTP_PID=$!
PIDS+=($!)
wait_for_port "$HIT_HTTP" proxy-hit
wait_for_port "$MISS_HTTP" proxy-miss
wait_for_port "$QUEUED_HTTP" proxy-miss-queued
wait_for_port "$REDIS_HTTP" baseline-redis

echo "== Loading keys"
VALUE=$(head -c "$VALUE_BYTES" /dev/zero | tr '\0' 'v')
{
  echo "SET hit $VALUE"
  echo "SET key:__rand_int__ $VALUE"
  for i in $(seq 1 "$MISS_KEYS"); do echo "SET miss:$i $VALUE"; done
} | redis-cli -p "$REDIS_PORT" >/dev/null
# The proxy's hit reply becomes the constant baseline's body, so both send the same bytes.
curl -sf "http://127.0.0.1:$HIT_HTTP/hit" >/dev/null
curl -sf "http://127.0.0.1:$HIT_HTTP/hit" >"$WORK/hit-body.json"
grep -q '"source":"local"' "$WORK/hit-body.json" || { echo "bench/run.sh: the proxy did not answer /hit from its cache" >&2; exit 1; }
dotnet "$BENCH_DLL" baseline-http-constant "$CONSTANT_HTTP" "$WORK/hit-body.json" >"$WORK/baseline-constant.log" 2>&1 &
CONSTANT_PID=$!
PIDS+=($!)
wait_for_port "$CONSTANT_HTTP" baseline-constant

# CPU time (user + system, in clock ticks) a process has used so far; the server's CPU per request is far less
# disturbed by other load on the machine than its throughput is.
cpu_ticks() {
  if [[ ! -r "/proc/$1/stat" ]]; then
    echo "bench/run.sh: the server with process id $1 has exited; the last lines of the logs:" >&2
    tail -n 5 "$WORK"/*.log >&2
    exit 1
  fi
  awk '{print $14 + $15}' "/proc/$1/stat"
}
CLOCK_TICKS=$(getconf CLK_TCK)

# One wrk run: a warm-up, then the measured run; its JSON line goes to $RAW. The warm-up is long enough for the JIT:
# under this load on 2 cores a fresh server (the proxy and the baselines alike) needs 4-5 s to reach its final code, and
# spends up to twice the CPU per request until then (measured per second on 1 December 2026).
run_wrk() {
  local scenario=$1 target=$2 pid=$3 url=$4
  shift 4
  timeout $((WARMUP_SECONDS + 10)) wrk -t1 -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" -s bench/wrk/report.lua "$url" "$@" >/dev/null
  local line before after
  before=$(cpu_ticks "$pid")
  line=$(timeout $((SECONDS_PER_RUN + 10)) wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency \
    -s bench/wrk/report.lua "$url" "$@" | sed -n 's/^WRK_JSON //p')
  after=$(cpu_ticks "$pid")
  echo "{\"scenario\":\"$scenario\",\"target\":\"$target\",\"tool\":\"wrk\",\"server_cpu_ticks\":$((after - before)),\"clock_ticks\":$CLOCK_TICKS,\"wrk\":$line}" >>"$RAW"
  echo "   $scenario / $target: $line"
}

echo "== HTTP (wrk, 1 thread, $CONNECTIONS connections, ${WARMUP_SECONDS}s warm-up, then ${SECONDS_PER_RUN}s each)"
run_wrk http-hit proxy "$HIT_PID" "http://127.0.0.1:$HIT_HTTP/hit"
run_wrk http-hit baseline "$CONSTANT_PID" "http://127.0.0.1:$CONSTANT_HTTP/hit"
run_wrk http-miss proxy "$MISS_PID" "http://127.0.0.1:$MISS_HTTP/" -- "$MISS_KEYS" miss:
run_wrk http-miss baseline "$REDIS_HTTP_PID" "http://127.0.0.1:$REDIS_HTTP/" -- "$MISS_KEYS" miss:
run_wrk http-miss-queued proxy "$QUEUED_PID" "http://127.0.0.1:$QUEUED_HTTP/" -- "$MISS_KEYS" miss:

# Only the hit proxy and redis-server take part in the RESP runs: the other servers are stopped first, so that nothing
# they still do after their load (finishing JIT work, trimming thread pools) shares the 2 cores with the RESP runs.
stop "$MISS_PID" "$QUEUED_PID" "$REDIS_HTTP_PID" "$CONSTANT_PID"

# redis-benchmark runs are short and the machine's noise is not: each target is warmed up once (half as many requests
# as a measured run; like wrk's warm-up, so the proxy is measured with its hot path compiled, not while the JIT is still
# at work), then the proxy and redis-server take turns for RESP_ROUNDS rounds, alternating which goes first; the report
# takes the median of the rounds' ratios. Pipelined runs send RESP_REQUESTS per pipeline slot, so each lasts long enough to measure (at
# -P 16, 200,000 requests take a tenth of a second).
redis_benchmark() {
  timeout 60 redis-benchmark -h 127.0.0.1 -p "$1" -c "$CONNECTIONS" -n "$2" -P "$3" -t "${TEST:-get}" "${@:4}"
}

run_redis_benchmark() {
  local scenario=$1 target=$2 pid=$3 port=$4 pipeline=$5 round=$6
  local requests=${REQUESTS:-$((RESP_REQUESTS * pipeline))}
  local csv before after
  before=$(cpu_ticks "$pid")
  csv=$(redis_benchmark "$port" "$requests" "$pipeline" --csv | tail -n 1)
  after=$(cpu_ticks "$pid")
  echo "{\"scenario\":\"$scenario\",\"target\":\"$target\",\"round\":$round,\"tool\":\"redis-benchmark\",\"server_cpu_ticks\":$((after - before)),\"clock_ticks\":$CLOCK_TICKS,\"requests\":$requests,\"csv\":\"${csv//\"/}\"}" >>"$RAW"
  echo "   $scenario / $target, round $round: $csv"
}

if port_answers "$HIT_RESP"; then
  echo "== RESP (redis-benchmark GET, $CONNECTIONS connections, $RESP_REQUESTS requests per pipeline slot, warm-up, then $RESP_ROUNDS rounds)"
  # Cached through the proxy's own read path before measuring.
  redis-cli -p "$HIT_RESP" GET key:__rand_int__ >/dev/null
  for pipeline in 1 16; do
    for port in "$HIT_RESP" "$REDIS_PORT"; do
      redis_benchmark "$port" $((RESP_REQUESTS * pipeline / 2)) "$pipeline" -q >/dev/null
    done
    for round in $(seq 1 "$RESP_ROUNDS"); do
      if ((round % 2)); then
        run_redis_benchmark "resp-hit-p$pipeline" proxy "$HIT_PID" "$HIT_RESP" "$pipeline" "$round"
        run_redis_benchmark "resp-hit-p$pipeline" baseline "$REDIS_PID" "$REDIS_PORT" "$pipeline" "$round"
      else
        run_redis_benchmark "resp-hit-p$pipeline" baseline "$REDIS_PID" "$REDIS_PORT" "$pipeline" "$round"
        run_redis_benchmark "resp-hit-p$pipeline" proxy "$HIT_PID" "$HIT_RESP" "$pipeline" "$round"
      fi
    done
  done
  # Writes and forwarded commands, at the default MAX_CONCURRENT_REQUESTS (11 backend slots for 16 connections): what
  # an application pays for going through the proxy for everything that is not a cached read.
  echo "== RESP writes and forwarded commands (redis-benchmark -P 1, $FORWARD_REQUESTS requests, warm-up, then $RESP_ROUNDS rounds)"
  for test in set incr lpush hset; do
    for port in "$HIT_RESP" "$REDIS_PORT"; do
      TEST=$test redis_benchmark "$port" $((FORWARD_REQUESTS / 2)) 1 -q >/dev/null
    done
    for round in $(seq 1 "$RESP_ROUNDS"); do
      if ((round % 2)); then order=(proxy baseline); else order=(baseline proxy); fi
      for target in "${order[@]}"; do
        if [[ $target == proxy ]]; then
          TEST=$test REQUESTS=$FORWARD_REQUESTS run_redis_benchmark "resp-$test-p1" proxy "$HIT_PID" "$HIT_RESP" 1 "$round"
        else
          TEST=$test REQUESTS=$FORWARD_REQUESTS run_redis_benchmark "resp-$test-p1" baseline "$REDIS_PID" "$REDIS_PORT" 1 "$round"
        fi
      done
    done
  done
else
  echo "== RESP skipped: nothing listens on the proxy's PROXY_RESP_PORT"
fi

mkdir -p "$RESULTS"
python3 bench/report.py "$RAW" "$RESULTS" \
  --seconds "$SECONDS_PER_RUN" --warmup-seconds "$WARMUP_SECONDS" --connections "$CONNECTIONS" --value-bytes "$VALUE_BYTES" --resp-requests "$RESP_REQUESTS" --resp-rounds "$RESP_ROUNDS" \
  --proxy-env "${BENCH_PROXY_ENV:-}"
