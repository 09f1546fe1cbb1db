-- Loaded into every wrk run: prints one JSON line the report can read (latencies in microseconds).
-- With arguments `-- COUNT PREFIX`, requests spread uniformly over the keys PREFIX1 .. PREFIXCOUNT.

local key_count, key_prefix

function init(args)
  key_count = tonumber(args[1])
  key_prefix = args[2]
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
end

function request()
  if key_count == nil then
    return wrk.request()
  end
  return wrk.format("GET", "/" .. key_prefix .. math.random(key_count))
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"socket_errors":%d,"non_2xx":%d,"p50_us":%d,"p99_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
