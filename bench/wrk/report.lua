-- Shared by every script: per-thread seeding and one machine-readable summary line for run.sh.
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

function seed_random()
  math.randomseed(os.time() * 97 + (thread_number or 0) * 7919)
end

-- A pool built once: wrk then spends no Lua time building requests under load.
function request_pool(size, build)
  local pool = {}
  for i = 1, size do pool[i] = build(i) end
  local next_index = 0
  return function()
    next_index = next_index % size + 1
    return pool[next_index]
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
