-- One thread a reporter, one connection a thread: each writes every input value of its own
-- report through the API (PATCH /api/v1/reports/{id}/values) in a closed loop, every write
-- with new values and no revision, so that none is answered as a conflict.
-- The file named by SSOZ_BENCH_CLIENTS has a line per reporter:
--   path <TAB> token <TAB> ref,ref,... <TAB> the refs of multiple choices, or "-"
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "closed_loop.lua")

-- As save.lua with SSOZ_BENCH_CHANGES=all (and deadline_day.value): every write changes
-- every value; a multiple choice gets one code.
function value(n, i)
  return (n * 7 + i) % 50
end

function init(args)
  local file = assert(io.open(os.getenv("SSOZ_BENCH_CLIENTS"), "r"))
  local n = 0
  for line in file:lines() do
    n = n + 1
    if n == id then
      local p, secret, fields, multiple = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)")
      path, authorization = p, "Bearer " .. secret
      local several = {}
      for name in multiple:gmatch("[^,]+") do several[name] = true end
      -- Each value's JSON, before and after it: the keys are the form's references, which
      -- need no escaping (letters, digits, dots, underscores).
      names = {}
      for name in fields:gmatch("[^,]+") do
        if several[name] then
          table.insert(names, {'"' .. name .. '": ["', '"]'})
        else
          table.insert(names, {'"' .. name .. '": ', ''})
        end
      end
    end
  end
  file:close()
  counter = 0
  acked = 0
  failed = 0
end

function request()
  counter = counter + 1
  local parts = {}
  for i, name in ipairs(names) do
    parts[i] = name[1] .. tostring(value(counter, i)) .. name[2]
  end
  sent = counter
  return wrk.format("PATCH", path, {
    ["Authorization"] = authorization,
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }, '{"values": {' .. table.concat(parts, ", ") .. "}}")
end

function response(status, headers, body)
  if status == 200 then
    acked = sent
  else
    failed = failed + 1
    if failed == 1 then io.stderr:write("first refused write: " .. status .. " " .. body .. "\n") end
  end
end
