-- wrk script for bench/load.py: mixed traffic against one hub, a few curator writes.
-- Reads its targets from the environment (bench/load.py sets them):
--   PITH_SLUG, PITH_PAPERS (comma-separated identifiers), PITH_CITATIONS (ids), PITH_TOKEN.
-- Each thread counts answers by class; done() prints one JSON line for load.py to read.

local slug = os.getenv("PITH_SLUG")
local token = os.getenv("PITH_TOKEN") or ""

local function split(text)
  local items = {}
  for item in string.gmatch(text or "", "[^,]+") do items[#items + 1] = item end
  return items
end
local papers = split(os.getenv("PITH_PAPERS"))
local citations = split(os.getenv("PITH_CITATIONS"))

local roles = {"background", "builds_on", "uses_method", "uses_data", "compares_with"}
local polarities = {"supporting", "neutral", "contrasting"}
local verdicts = {"accept", "conditional", "reject", "uncertain"}

-- {weight, function returning method, path, body}; weights are out of 1000.
local hub = "/hubs/" .. slug .. "/"
local api = "/api/v1/hubs/" .. slug .. "/"
local mix = {
  {220, function() return "GET", hub end},
  {160, function()
    return "GET", hub .. "?role=" .. roles[math.random(#roles)] .. "&year=" .. math.random(2023, 2025)
      .. "&sort=" .. ({"newest", "oldest", "novelty", "refs"})[math.random(4)]
  end},
  {60, function() return "GET", hub .. "?polarity=" .. polarities[math.random(#polarities)] .. "&q=learning" end},
  {80, function() return "GET", "/papers/" .. papers[math.random(#papers)] .. "/" end},
  {50, function() return "GET", "/hubs/" end},
  {40, function() return "GET", "/" end},
  {120, function()
    return "GET", api .. "citing-papers/?role=" .. roles[math.random(#roles)] .. "&sort=novelty"
  end},
  {60, function() return "GET", api .. "facets/?group_by=" .. ({"role", "polarity", "year", "verdict"})[math.random(4)] .. "&year=" .. math.random(2023, 2025) end},
  {50, function() return "GET", api end},
  {40, function() return "GET", "/api/v1/hubs/" end},
  {40, function() return "GET", "/api/v1/papers/?q=learning" end},
  {40, function() return "GET", "/api/v1/papers/" .. papers[math.random(#papers)] .. "/" end},
  {20, function()
    return "GET", hub .. "citing.csv?role=" .. roles[math.random(#roles)] .. "&year=" .. math.random(2023, 2025)
  end},
  {10, function() return "GET", hub .. "citing.bibtex?polarity=contrasting&year=2024" end},
  {5, function() return "GET", hub .. "feed.atom" end},
  -- Curator writes, 1%: a review, a classification (only with a token).
  {6, function()
    return "PUT", "/api/v1/papers/" .. papers[math.random(#papers)] .. "/review/",
      '{"verdict": "' .. verdicts[math.random(#verdicts)] .. '", "summary": "Load test"}'
  end, true},
  {4, function()
    return "PATCH", "/api/v1/citations/" .. citations[math.random(#citations)] .. "/classification/",
      '{"role": "' .. roles[math.random(#roles)] .. '", "polarity": "' .. polarities[math.random(#polarities)] .. '"}'
  end, true},
}
local total = 0
for _, entry in ipairs(mix) do total = total + entry[1] end

local threads = {}
function setup(thread) threads[#threads + 1] = thread end

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000) + #tostring({}))
  ok, redirects, client_errors, server_errors, writes = 0, 0, 0, 0, 0
  codes = {}
end

function request()
  while true do
    local pick = math.random(total)
    for _, entry in ipairs(mix) do
      pick = pick - entry[1]
      if pick <= 0 then
        if entry[3] and token == "" then break end  -- no token: no writes, pick again
        local method, path, body = entry[2]()
        local headers = {}
        if entry[3] then
          headers["Authorization"] = "Bearer " .. token
          headers["Content-Type"] = "application/json"
          writes = writes + 1
        end
        return wrk.format(method, path, headers, body)
      end
    end
  end
end

function response(status, headers, body)
  if status < 300 then ok = ok + 1
  elseif status < 400 then redirects = redirects + 1
  elseif status < 500 then client_errors = client_errors + 1
  else server_errors = server_errors + 1 end
  if status >= 300 then codes[status] = (codes[status] or 0) + 1 end
end

function done(summary, latency, requests)
  local sums = {ok = 0, redirects = 0, client_errors = 0, server_errors = 0, writes = 0}
  local codes_all = {}
  for _, thread in ipairs(threads) do
    for key, _ in pairs(sums) do sums[key] = sums[key] + thread:get(key) end
    for code, count in pairs(thread:get("codes")) do
      codes_all[tostring(code)] = (codes_all[tostring(code)] or 0) + count
    end
  end
  local code_parts = {}
  for code, count in pairs(codes_all) do code_parts[#code_parts + 1] = '"' .. code .. '": ' .. count end
  local errors = summary.errors
  io.write(string.format(
    'PITH-RESULT {"requests": %d, "seconds": %.3f, "p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, '
      .. '"max_ms": %.1f, "ok": %d, "redirects": %d, "client_errors": %d, "server_errors": %d, '
      .. '"writes": %d, "codes": {%s}, "socket_errors": {"connect": %d, "read": %d, "write": %d, '
      .. '"timeout": %d}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    sums.ok, sums.redirects, sums.client_errors, sums.server_errors, sums.writes,
    table.concat(code_parts, ", "), errors.connect, errors.read, errors.write, errors.timeout))
end
