#!/usr/bin/env bash
# RedisProxy with Redis a network hop away, on one machine: open- and closed-loop load against the proxy and against
# the direct path, measured in the same run.
#
# Usage: bench/remote.sh         (as root, from anywhere; about 3.5 minutes, never more than 5, build included)
#
# Needs, besides the .NET SDK: root (network namespaces), iproute2 (ip, tc; the netem qdisc if the kernel has it), redis-server,
# redis-cli, python3. It installs nothing. Exits 2 when the network namespaces cannot be created.
#
# Two network namespaces joined by a veth pair: redis-server alone in one (10.213.0.1), the proxy, the HTTP baseline
# (Kestrel + one StackExchange.Redis GET or SET per request) and the load generator in the other (10.213.0.2; the
# generator reaches the proxy and the baseline on that namespace's loopback). Both ends of the veth delay every packet
# by REMOTE_DELAY_MS (tc netem), so a round trip to Redis takes twice that; on a kernel without netem, a TCP relay in
# Redis's namespace (the delay-relay mode of RedisProxy.Benchmarks) holds each direction's bytes for REMOTE_DELAY_MS
# instead. The namespaces are removed on exit, also on failure or timeout.
#
# For each front door (RESP and HTTP) and each workload (100-byte and 4 KB values; 90/10 and 99/1 reads/writes; keys
# Zipf-distributed, s = 0.99, over REMOTE_KEYS keys per value size, all preloaded into Redis) the load mode of
# RedisProxy.Benchmarks fills the proxy's cache, then drives the direct path and the proxy at saturation (closed loop,
# REMOTE_CONNECTIONS connections, one request in flight on each), then both open loop at REMOTE_RATE_FRACTION of the
# direct path's saturation rate, recording every latency from the request's intended start. It writes
# bench/results/remote.json, remote.md and remote.svg and prints the table.
#
# Settings (environment): REMOTE_DELAY_MS (default 1, each way), REMOTE_SECONDS (measured per phase, default 3),
# REMOTE_WARMUP_SECONDS (unrecorded start of each phase, default 1), REMOTE_CONNECTIONS (closed loop, default 64),
# REMOTE_OPEN_CONNECTIONS (open loop, default 64; each request goes to the connection with the fewest unanswered), REMOTE_RATE_FRACTION (default 0.5), REMOTE_KEYS (default 20000),
# REMOTE_CACHE_CAPACITY (default 14000: with LRU under this Zipf load, about 95 % of reads hit; an LRU simulation gave
# 94.9 %), REMOTE_MAX_CONCURRENT_REQUESTS (default 64, one backend slot per closed-loop connection, so the proxy's
# limit never queues what the direct path sends at once). REMOTE_DOORS ("resp http"), REMOTE_VALUE_SIZES ("100 4096")
# and REMOTE_WRITE_PERCENTS ("10 1") run a subset. REMOTE_PROFILE=1 also samples the proxy's stacks with perf (Debian
# package linux-perf) during each measured run and writes where its CPU time went to bench/results/remote-profile.md.
set -euo pipefail

if [[ -z "${BENCH_BOUNDED:-}" ]]; then
  # The whole run, build included, is bounded: past 5 minutes everything is stopped and the namespaces removed.
  BENCH_BOUNDED=1 exec timeout --signal=TERM --kill-after=10 300 "$0" "$@"
fi

cd "$(dirname "$0")/.."
ROOT=$PWD
DELAY_MS=${REMOTE_DELAY_MS:-1}
SECONDS_PER_RUN=${REMOTE_SECONDS:-3}
WARMUP_SECONDS=${REMOTE_WARMUP_SECONDS:-1}
CONNECTIONS=${REMOTE_CONNECTIONS:-64}
OPEN_CONNECTIONS=${REMOTE_OPEN_CONNECTIONS:-64}
RATE_FRACTION=${REMOTE_RATE_FRACTION:-0.5}
KEYS=${REMOTE_KEYS:-20000}
CAPACITY=${REMOTE_CACHE_CAPACITY:-14000}
MAX_CONCURRENT=${REMOTE_MAX_CONCURRENT_REQUESTS:-64}
read -r -a DOORS <<<"${REMOTE_DOORS:-resp http}"
read -r -a VALUE_SIZES <<<"${REMOTE_VALUE_SIZES:-100 4096}"
read -r -a WRITE_PERCENTS <<<"${REMOTE_WRITE_PERCENTS:-10 1}"
PROFILE=${REMOTE_PROFILE:-0}

# Only addresses and ports inside the namespaces this script creates; the names carry its process id.
NS_REDIS=rp-redis-$$ NS_CLIENT=rp-client-$$
VETH_REDIS=rpr$$ VETH_CLIENT=rpc$$
REDIS_IP=10.213.0.1 CLIENT_IP=10.213.0.2
REDIS_PORT=6379 PROXY_HTTP=8989 PROXY_MANAGEMENT=8990 PROXY_RESP=6380 BASELINE_HTTP=8991

RESULTS=$ROOT/bench/results
WORK=$(mktemp -d)
RAW=$WORK/raw.jsonl
PIDS=()

TOOLS=(ip tc redis-server redis-cli dotnet python3)
if [[ $PROFILE == 1 ]]; then TOOLS+=(perf); fi
for tool in "${TOOLS[@]}"; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench/remote.sh: '$tool' is missing. On Debian: apt-get install iproute2 redis-server redis-tools python3 linux-perf" >&2
    exit 2
  fi
done

source bench/common.sh

remote_cleanup() {
  cleanup
  # The symbol maps a profiled proxy wrote (DOTNET_PerfMapEnabled).
  if [[ -n ${PROXY_PID:-} ]]; then rm -f "/tmp/perf-$PROXY_PID.map" "/tmp/perfinfo-$PROXY_PID.map"; fi
  ip netns del "$NS_CLIENT" 2>/dev/null || true
  ip netns del "$NS_REDIS" 2>/dev/null || true
}
trap remote_cleanup EXIT
# On timeout's TERM (or Ctrl-C) exit through the EXIT trap, so the namespaces go too.
trap 'exit 143' TERM INT

# Not functions, so that a command started with & is the process itself and $! its id (ip netns exec execs it).
IN_REDIS=(ip netns exec "$NS_REDIS")
IN_CLIENT=(ip netns exec "$NS_CLIENT")
# The load generator and the relay get the proxy's thread-pool setting (RedisProxy.Api.csproj): idle pool threads
# sleep at once instead of spinning, which on 2 cores takes CPU from the servers measured. The HTTP baseline keeps
# its defaults, as in bench/run.sh.
GENERATOR_ENV=(DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0)

echo "== Creating the namespaces $NS_REDIS ($REDIS_IP) and $NS_CLIENT ($CLIENT_IP), ${DELAY_MS} ms each way"
if [[ $EUID -ne 0 ]] || ! ip netns add "$NS_REDIS" 2>"$WORK/netns.err" || ! ip netns add "$NS_CLIENT" 2>>"$WORK/netns.err"; then
  echo "bench/remote.sh: cannot create network namespaces (run as root, where 'ip netns add' is permitted): $(cat "$WORK/netns.err" 2>/dev/null)" >&2
  exit 2
fi
ip link add "$VETH_REDIS" netns "$NS_REDIS" type veth peer name "$VETH_CLIENT" netns "$NS_CLIENT"
ip -n "$NS_REDIS" addr add "$REDIS_IP/24" dev "$VETH_REDIS"
ip -n "$NS_CLIENT" addr add "$CLIENT_IP/24" dev "$VETH_CLIENT"
for ns in "$NS_REDIS" "$NS_CLIENT"; do ip -n "$ns" link set lo up; done
ip -n "$NS_REDIS" link set "$VETH_REDIS" up
ip -n "$NS_CLIENT" link set "$VETH_CLIENT" up
# netem's default queue of 1,000 packets would drop at saturation; the limit only has to exceed what is in flight.
# Kernels built without netem (sch_netem) get the same delay from a relay in Redis's namespace instead, see below.
if tc -n "$NS_REDIS" qdisc add dev "$VETH_REDIS" root netem delay "${DELAY_MS}ms" limit 100000 2>"$WORK/netem.err" &&
  tc -n "$NS_CLIENT" qdisc add dev "$VETH_CLIENT" root netem delay "${DELAY_MS}ms" limit 100000 2>>"$WORK/netem.err"; then
  HOP=netem
else
  HOP=relay
  echo "   no netem qdisc here ($(head -n 1 "$WORK/netem.err")): the delay comes from a relay process instead"
fi

# Whether something listens at $2:$3 in namespace $1.
answers_in() { ip netns exec "$1" bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; }

wait_for() {
  local ns=$1 address=$2 port=$3 name=$4
  for _ in $(seq 1 150); do
    answers_in "$ns" "$address" "$port" && return 0
    sleep 0.2
  done
  echo "bench/remote.sh: $name did not start listening on $address:$port; its log:" >&2
  cat "$WORK/$name.log" >&2 || true
  exit 1
}

build_release

echo "== Starting redis-server (namespace $NS_REDIS), the proxy and the HTTP baseline (namespace $NS_CLIENT)"
if [[ $HOP == netem ]]; then
  "${IN_REDIS[@]}" redis-server --bind "$REDIS_IP" 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --protected-mode no \
    >"$WORK/redis.log" 2>&1 &
  PIDS+=($!)
  CPU_PIDS="redis=$!"
else
  # redis-server only on the namespace's loopback; what reaches REDIS_IP goes through the relay, which holds each
  # direction's bytes for DELAY_MS (one thread sleeping precisely until the oldest chunk is due). Unlike netem, it
  # takes CPU on the same 2 cores, for every request that reaches Redis, direct or from the proxy alike.
  "${IN_REDIS[@]}" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
  PIDS+=($!)
  CPU_PIDS="redis=$!"
  wait_for "$NS_REDIS" 127.0.0.1 "$REDIS_PORT" redis
  "${IN_REDIS[@]}" env "${GENERATOR_ENV[@]}" dotnet "$BENCH_DLL" delay-relay "$REDIS_IP:$REDIS_PORT" "127.0.0.1:$REDIS_PORT" "$DELAY_MS" >"$WORK/relay.log" 2>&1 &
  PIDS+=($!)
  CPU_PIDS+=",relay=$!"
fi
wait_for "$NS_CLIENT" "$REDIS_IP" "$REDIS_PORT" redis

# Started from its output folder, so it finds its appsettings.json (Warning level: no log line per request). Profiling
# needs the JIT's symbol map (/tmp/perf-<pid>.map) to name managed frames, and code that is not double-mapped (W^X),
# or perf sees only an anonymous file where the map's addresses are.
PROXY_ENV=()
if [[ $PROFILE == 1 ]]; then PROXY_ENV+=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0); fi
"${IN_CLIENT[@]}" env "${PROXY_ENV[@]}" ASPNETCORE_ENVIRONMENT=Production PROXY_IP=127.0.0.1 PROXY_PORT=$PROXY_HTTP PROXY_MANAGEMENT_PORT=$PROXY_MANAGEMENT \
  PROXY_RESP_PORT=$PROXY_RESP REDIS_SERVER_IP=$REDIS_IP REDIS_SERVER_PORT=$REDIS_PORT CACHE_CAPACITY=$CAPACITY \
  MAX_CONCURRENT_REQUESTS=$MAX_CONCURRENT bash -c 'cd "$(dirname "$1")" && exec dotnet "$1"' proxy "$API_DLL" >"$WORK/proxy.log" 2>&1 &
PIDS+=($!)
PROXY_PID=$!
CPU_PIDS+=",proxy=$!"
"${IN_CLIENT[@]}" dotnet "$BENCH_DLL" baseline-http-redis "$BASELINE_HTTP" "$REDIS_PORT" "$REDIS_IP" >"$WORK/baseline.log" 2>&1 &
PIDS+=($!)
CPU_PIDS+=",baseline=$!"
wait_for "$NS_CLIENT" 127.0.0.1 "$PROXY_RESP" proxy
wait_for "$NS_CLIENT" 127.0.0.1 "$BASELINE_HTTP" baseline

echo "== Loading $KEYS keys per value size into Redis (from its own namespace, no delay)"
for size in "${VALUE_SIZES[@]}"; do
  python3 -c '
import sys
keys, size = int(sys.argv[1]), int(sys.argv[2])
value = b"v" * size
out = sys.stdout.buffer
for i in range(keys):
    key = b"k%d:%d" % (size, i)
    out.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(key), key, size, value))
' "$KEYS" "$size" | "${IN_REDIS[@]}" redis-cli -p "$REDIS_PORT" --pipe >"$WORK/preload-$size.log"
done

# One run of the load mode; its LOAD_JSON lines go to $RAW when $1 is "measure", nowhere for a warm-up.
run_load() {
  local purpose=$1 door=$2 size=$3 writes=$4
  shift 4
  local proxy direct
  if [[ $door == resp ]]; then
    proxy=127.0.0.1:$PROXY_RESP direct=$REDIS_IP:$REDIS_PORT
  else
    proxy=127.0.0.1:$PROXY_HTTP direct=127.0.0.1:$BASELINE_HTTP
  fi
  local lines perf_pid=
  if [[ $purpose == measure && $PROFILE == 1 ]]; then
    perf record -F 999 -g -p "$PROXY_PID" -o "$WORK/perf.data" >"$WORK/perf.log" 2>&1 &
    perf_pid=$!
  fi
  lines=$(timeout 90 "${IN_CLIENT[@]}" env "${GENERATOR_ENV[@]}" dotnet "$BENCH_DLL" load --door "$door" --proxy "$proxy" --direct "$direct" \
    --status "http://127.0.0.1:$PROXY_MANAGEMENT/status" --prefix "k$size" --keys "$KEYS" --value-bytes "$size" \
    --write-percent "$writes" --prefill "$CAPACITY" --connections "$CONNECTIONS" --open-connections "$OPEN_CONNECTIONS" \
    --rate-fraction "$RATE_FRACTION" --cpu "$CPU_PIDS" --clock-ticks "$(getconf CLK_TCK)" "$@" | sed -n 's/^LOAD_JSON //p') || true
  if [[ -n $perf_pid ]]; then
    summarize_profile "$perf_pid" "$door, $size-byte values, $((100 - writes))/$writes reads/writes"
  fi
  if [[ $purpose == measure ]]; then
    [[ -n $lines ]] || { echo "bench/remote.sh: the load run ($door, $size B, $writes % writes) gave no result" >&2; exit 1; }
    echo "$lines" >>"$RAW"
    python3 bench/remote_report.py show <<<"$lines"
  fi
}

# Stops perf ($1) and appends where the proxy's sampled CPU time went during run $2 (bench/profile_report.py).
PROFILE_OUT=$WORK/profile.md
summarize_profile() {
  kill -INT "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  perf script -i "$WORK/perf.data" 2>/dev/null | python3 bench/profile_report.py "$2" >>"$PROFILE_OUT"
}

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
for door in "${DOORS[@]}"; do
  # A fresh proxy (and baseline) runs slower until the JIT has compiled its hot path; this short run is not kept.
  echo "== $door: warm-up run (not kept)"
  run_load warm-up "$door" "${VALUE_SIZES[0]}" "${WRITE_PERCENTS[0]}" --warmup-seconds 0.5 --seconds 1
  for size in "${VALUE_SIZES[@]}"; do
    for writes in "${WRITE_PERCENTS[@]}"; do
      echo "== $door, $size-byte values, $((100 - writes))/$writes reads/writes: saturation (c=$CONNECTIONS), then open loop at $RATE_FRACTION x direct's rate"
      run_load measure "$door" "$size" "$writes" --warmup-seconds "$WARMUP_SECONDS" --seconds "$SECONDS_PER_RUN"
    done
  done
done

# Profiling slows every process, so a profiled run's tables are printed but do not replace the kept ones.
REPORT_DIR=$RESULTS
if [[ $PROFILE == 1 ]]; then REPORT_DIR=$WORK/report; fi
mkdir -p "$REPORT_DIR"
python3 bench/remote_report.py "$RAW" "$REPORT_DIR" --delay-ms "$DELAY_MS" --seconds "$SECONDS_PER_RUN" \
  --warmup-seconds "$WARMUP_SECONDS" --connections "$CONNECTIONS" --open-connections "$OPEN_CONNECTIONS" \
  --rate-fraction "$RATE_FRACTION" --keys "$KEYS" --capacity "$CAPACITY" --max-concurrent "$MAX_CONCURRENT" \
  --load-before "$LOAD_BEFORE" --hop "$HOP"
if [[ $PROFILE == 1 ]]; then
  {
    echo "Measured $(date -Iseconds) by bench/remote.sh with REMOTE_PROFILE=1: perf record -F 999 -g on the proxy"
    echo "(DOTNET_PerfMapEnabled=1, DOTNET_EnableWriteXorExecute=0) over each whole load run (cache fill, saturation, open"
    echo "loop; the proxy idles while the direct path is measured); REMOTE_DELAY_MS=$DELAY_MS, hop: $HOP. Profiling slows every"
    echo "process, so the run's latency and throughput tables are printed, not kept."
    echo
    cat "$PROFILE_OUT"
  } >"$RESULTS/remote-profile.md"
  echo "== The proxy's profile: bench/results/remote-profile.md"
fi
