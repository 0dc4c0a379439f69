-- PUT /api/notes/<random id>: `-- 10000`.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

function init(args)
  seed_random()
  local top = tonumber(args[1] or "1")
  local headers = { ["Content-Type"] = "application/json" }
  request = request_pool(4096, function(i)
    local body = string.format(
      '{"title":"Updated by wrk %d","content":"Rewritten content, request %d of thread %d."}',
      i, i, thread_number or 0)
    return wrk.format("PUT", string.format("/api/notes/%d", math.random(1, top)), headers, body)
  end)
end
