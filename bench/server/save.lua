-- One thread a reporter, one connection a thread: each saves a section of its own report in
-- a closed loop, every save with new values and the revision the last answer gave.
-- The file named by SSOZ_BENCH_CLIENTS has a line per reporter:
--   path <TAB> cookie header <TAB> csrf token <TAB> field,field,... <TAB> revision
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "closed_loop.lua")

-- SSOZ_BENCH_CHANGES=all: every save changes every value of the section; otherwise each save
-- changes about one value in seventeen (five of the 83 of MZ-88's section D1), as typing
-- between two background saves does.
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
