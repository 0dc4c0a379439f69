-- POST /api/notes: a new note per request.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

function init(args)
  seed_random()
  local headers = { ["Content-Type"] = "application/json" }
  request = request_pool(4096, function(i)
    local body = string.format(
      '{"title":"Load test note %d-%d","content":"Written by wrk to measure creates; thread %d, request %d.","is_pinned":false}',
      thread_number or 0, i, thread_number or 0, i)
    return wrk.format("POST", "/api/notes", headers, body)
  end)
end
