-- wrk script for termlight's load test: a weighted mix of prepared requests, and a count of
-- every answer by status, printed as one JSON line for the Python side to judge.
--
-- Usage: wrk ... -s wrk_mix.lua URL -- MIX_FILE [TOKEN]
-- MIX_FILE has one request per line: WEIGHT <tab> METHOD <tab> PATH <tab> BODY (BODY may be
-- empty; it is JSON on one line, so it never holds a raw tab or newline).

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local function split(line)
  local out = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do table.insert(out, field) end
  return out
end

function init(args)
  local mix_file, token = args[1], args[2]
  requests_ = {}
  weights = {}
  total_weight = 0
  local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  for line in io.lines(mix_file) do
    local f = split(line)
    local weight, method, path, body = tonumber(f[1]), f[2], f[3], f[4]
    if body == "" then body = nil end
    local hdrs = headers
    if not body then hdrs = { ["Accept"] = "application/json", ["Authorization"] = headers["Authorization"] } end
    table.insert(requests_, wrk.format(method, path, hdrs, body))
    total_weight = total_weight + weight
    table.insert(weights, total_weight)
  end
  counts = {}
  empty = 0
  math.randomseed(os.time() + id * 7919)
end

function request()
  local r = math.random() * total_weight
  for i, w in ipairs(weights) do
    if r <= w then return requests_[i] end
  end
  return requests_[#requests_]
end

function response(status, headers, body)
  local key = tostring(status)
  counts[key] = (counts[key] or 0) + 1
  if status == 200 and (body == nil or #body == 0) then empty = empty + 1 end
end

function done(summary, latency, requests)
  local by_status = {}
  local empty_bodies = 0
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do by_status[k] = (by_status[k] or 0) + v end
    empty_bodies = empty_bodies + t:get("empty")
  end
  local parts = {}
  for k, v in pairs(by_status) do table.insert(parts, string.format('"%s": %d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'TERMLIGHT-RESULT {"requests": %d, "duration_us": %d, "bytes": %d, '
    .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
    .. '"by_status": {%s}, "empty_bodies": %d, '
    .. '"latency_us": {"p50": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ", "), empty_bodies,
    latency:percentile(50), latency:percentile(99), latency.max))
end
