-- GET a path built from a pattern and a random number: `-- /api/notes/%d 10000`.
-- A pattern without %d (a search) is requested as it is. BENCH_AUTHORIZATION, when set, is sent
-- as the Authorization header of every request (a bearer token).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

function init(args)
  seed_random()
  local pattern, top = args[1], tonumber(args[2] or "1")
  local authorization = os.getenv("BENCH_AUTHORIZATION")
  local headers = authorization and { ["Authorization"] = authorization } or nil
  request = request_pool(4096, function()
    return wrk.format("GET", string.format(pattern, math.random(1, top)), headers)
  end)
end
