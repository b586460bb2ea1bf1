-- Each request comes from its own address (X-Forwarded-For, trusted from the loopback proxy), as scans from many
-- phones would, so per-client limits see many clients; at the end, one line the benchmark reads: requests, seconds,
-- errors and latency percentiles (microseconds).
local counter = 0

request = function()
  counter = counter + 1
  wrk.headers["X-Forwarded-For"] = string.format(
    "10.%d.%d.%d", math.floor(counter / 65536) % 256, math.floor(counter / 256) % 256, counter % 256)
  return wrk.format(nil)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "socket_errors": %d, "bad_status": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
