# Shared by the bench scripts (sourced): stopping what they started, probing and reserving loopback ports, and the
# Release build they measure. Expects WORK (a scratch folder) and PIDS (an array) to be set by the script.

SCRIPT_NAME=bench/$(basename "$0")

# Stops the given processes (only ever ones the script started, by their ids) and waits until they are gone.
stop() {
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

cleanup() {
  stop "${PIDS[@]}"
  rm -rf "$WORK"
}

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Exits unless every port from $1 to $2 is free.
require_free_ports() {
  for port in $(seq "$1" "$2"); do
    if port_answers "$port"; then
      echo "$SCRIPT_NAME: port $port is in use; choose other ports with BENCH_PORT_BASE" >&2
      exit 2
    fi
  done
}

# Builds the API and the benchmarks in Release and sets API_DLL and BENCH_DLL.
build_release() {
  echo "== Building Release"
  dotnet build -c Release -v quiet -nologo RedisProxy.Api >/dev/null
  dotnet build -c Release -v quiet -nologo RedisProxy.Benchmarks >/dev/null
  API_DLL=$ROOT/RedisProxy.Api/bin/Release/net10.0/RedisProxy.Api.dll
  BENCH_DLL=$ROOT/RedisProxy.Benchmarks/bin/Release/net10.0/RedisProxy.Benchmarks.dll
}
