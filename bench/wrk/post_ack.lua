-- POST /api/notes and append the id of every 201 to <prefix><thread>: the creates the server
-- acknowledged, which must all survive a kill -9. Usage: `-- /tmp/acks.`
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

function init(args)
  seed_random()
  acks = assert(io.open(args[1] .. (thread_number or 0), "a"))
  acks:setvbuf("line")
  local headers = { ["Content-Type"] = "application/json" }
  request = request_pool(4096, function(i)
    local body = string.format(
      '{"title":"Durable note %d-%d","content":"Must survive a kill -9 once acknowledged.","is_pinned":false}',
      thread_number or 0, i)
    return wrk.format("POST", "/api/notes", headers, body)
  end)
end

function response(status, headers, body)
  if status == 201 then
    local id = body:match('"id"%s*:%s*(%d+)')
    if id then acks:write(id, "\n") end
  end
end
