-- What every closed-loop client script shares (save.lua, api_write.lua): one thread a
-- reporter, numbered from 1 in `id`; each thread counts what it `sent`, the last save it was
-- told succeeded (`acked`) and its refusals (`failed`); `done` prints one RESULT line, the
-- acknowledged save of every thread included, for bench/deadline_day.py to check.
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  table.insert(threads, thread)
  next_id = next_id + 1
end

function done(summary, latency, requests)
  local acks = {}
  for _, t in ipairs(threads) do
    acks[#acks + 1] = string.format('"%d": %d', t:get("id"), t:get("acked") or 0)
  end
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("failed") or 0) end
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, "p99": %.3f, ' ..
    '"non2xx": %d, "errors": %d, "acked": {%s}}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(acks, ", ")))
end
