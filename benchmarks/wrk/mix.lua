-- The soak's browsing load: each request takes the next of the paths in MIX_PATHS (separated by "|"), each from its
-- own address as in report.lua; a path starting with "304:" is sent with If-None-Match: MIX_ETAG (a phone that
-- scanned the bag before). At the end, the same one-line summary as report.lua.
local counter = 0
local paths = {}
for path in string.gmatch(os.getenv("MIX_PATHS") or "/healthz", "[^|]+") do
  table.insert(paths, path)
end
local etag = os.getenv("MIX_ETAG") or ""

request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local headers = {}
  headers["X-Forwarded-For"] = string.format(
    "10.%d.%d.%d", math.floor(counter / 65536) % 256, math.floor(counter / 256) % 256, counter % 256)
  if string.sub(path, 1, 4) == "304:" then
    path = string.sub(path, 5)
    headers["If-None-Match"] = etag
  end
  return wrk.format("GET", path, headers)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "socket_errors": %d, "bad_status": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
