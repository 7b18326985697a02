-- Junk for wrk: POST /tin-tuc/ with a 100 KB body and no CSRF cookie, which the portal
-- refuses (403) before reading the body. Counts answers other than 403 and prints them.
local body = "x=" .. string.rep("a", 100000)
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  unexpected = 0
end

function request()
  return wrk.format("POST", "/tin-tuc/",
    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

function response(status, headers, body)
  if status ~= 403 then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("unexpected")
  end
  io.write(string.format("junk answered other than 403: %d\n", total))
end
