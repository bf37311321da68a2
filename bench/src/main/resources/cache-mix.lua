-- The cache-mix load (bench cache-mix): a GET/PUT mix over a fixed key set of one cache
-- namespace, the same for Troupe and the Node.js + Redis baseline (both serve
-- GET/PUT /cache/{ns}/{key}). Every request is built once in init(); request() only draws.
--
--   wrk -s cache-mix.lua <url> -- <namespace> <keys> <put-percent> <value-bytes> <ttl> [seed]
--
-- Keys are k0 .. k<keys-1>, drawn uniformly; PUTs store <value-bytes> bytes as
-- application/octet-stream with ?ttl=<ttl>. Prefill every key first, so every GET is a hit
-- (a 404 shows as a non-2xx response in wrk's output).

local gets, puts = {}, {}
local keys, putPercent

function init(args)
  local namespace = args[1] or "bench"
  keys = tonumber(args[2] or "10000")
  putPercent = tonumber(args[3] or "10")
  local valueBytes = tonumber(args[4] or "100")
  local ttl = args[5] or "1h"
  local seed = tonumber(args[6] or "0")
  local value = string.rep("v", valueBytes)
  local putHeaders = { ["Content-Type"] = "application/octet-stream" }
  for i = 1, keys do
    local path = "/cache/" .. namespace .. "/k" .. (i - 1)
    gets[i] = wrk.format("GET", path, {})
    puts[i] = wrk.format("PUT", path .. "?ttl=" .. ttl, putHeaders, value)
  end
  math.randomseed(seed ~= 0 and seed or os.time())
end

function request()
  local i = math.random(keys)
  if math.random(100) <= putPercent then
    return puts[i]
  end
  return gets[i]
end
