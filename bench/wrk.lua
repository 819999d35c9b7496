-- Replays the requests bench/wrk.py wrote to $BENCH_REQUESTS, one per line:
--   H <tab> name <tab> value          a header sent with every request
--   R <tab> method <tab> path <tab> body
-- Each thread starts at its own offset, so concurrent connections touch different rows.
-- At the end it prints the figures as one JSON line, prefixed BENCH_JSON, for wrk.py.

local thread_count = 0

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

local requests = {}
local headers = {}
local counter = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local fields = {}
    for field in (line .. "\t"):gmatch("([^\t]*)\t") do
      table.insert(fields, field)
    end
    if fields[1] == "H" then
      headers[fields[2]] = fields[3]
    elseif fields[1] == "R" then
      local body = fields[4]
      if body == "" then body = nil end
      table.insert(requests, {method = fields[2], path = fields[3], body = body})
    end
  end
  counter = thread_index * math.floor(#requests / 2)
end

function request()
  counter = counter + 1
  local r = requests[(counter % #requests) + 1]
  return wrk.format(r.method, r.path, headers, r.body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "non_2xx_3xx": %d, "socket_errors": %d, ' ..
    '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "mean_ms": %.3f, "max_ms": %.3f}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, latency.max / 1000))
end
