-- One thread a reporter, one connection a thread: each saves a section of its own report in
-- a closed loop, every save with new values and the revision the last answer gave.
-- The file named by SSOZ_BENCH_CLIENTS has a line per reporter:
--   path <TAB> cookie header <TAB> csrf token <TAB> field,field,... <TAB> revision
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  table.insert(threads, thread)
  next_id = next_id + 1
end

-- SSOZ_BENCH_CHANGES=all: every save changes every value of the section; otherwise each save
-- changes about one value in seventeen (five of MZ-88's 86), as typing between two background
-- saves does.
local every = os.getenv("SSOZ_BENCH_CHANGES") == "all"
function value(n, i)
  if every then return (n * 7 + i) % 50 end
  return math.floor((n + 17 - (i % 17)) / 17) % 50
end

function init(args)
  local file = assert(io.open(os.getenv("SSOZ_BENCH_CLIENTS"), "r"))
  local n = 0
  for line in file:lines() do
    n = n + 1
    if n == id then
      local p, cookie, csrf, fields, rev =
        line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)\t(%d+)")
      path, cookies, token, first_revision = p, cookie, csrf, tonumber(rev)
      names = {}
      for name in fields:gmatch("[^,]+") do table.insert(names, name) end
    end
  end
  file:close()
  revision = first_revision
  counter = 0
  acked = 0
  failed = 0
end

function request()
  counter = counter + 1
  local parts = {"revision=" .. revision, "action=autosave"}
  for i, name in ipairs(names) do
    parts[#parts + 1] = name .. "=" .. tostring(value(counter, i))
  end
  sent = counter
  return wrk.format("POST", path, {
    ["Cookie"] = cookies,
    ["X-CSRFToken"] = token,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
  }, table.concat(parts, "&"))
end

function response(status, headers, body)
  if status == 200 then
    local r = body:match('"revision": *(%d+)')
    if r then revision = tonumber(r) end
    acked = sent
  else
    failed = failed + 1
  end
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
