-- Mixed public traffic for wrk: each request picks one of the reader's pages.
-- Counts 5xx answers per thread and prints their sum at the end.
local paths = {
  "/", "/", "/", "/tin-tuc/", "/tin-tuc/",
  "/tin-tuc/tong-ket-cong-tac-ho-tro-nang-cao-chat-luong-hoat-dong-cong-tac-doan-va-phong-trao-thanh-thieu-nhi-nam-2022/",
  "/tin-tuc/tong-ket-cong-tac-ho-tro-nang-cao-chat-luong-hoat-dong-cong-tac-doan-va-phong-trao-thanh-thieu-nhi-nam-2022/",
  "/chuyen-muc/cong-tac-doan/", "/xa-ho-tro/", "/xa-ho-tro/2022/",
  "/xa-ho-tro/2023/", "/xa-ho-tro/2022.csv", "/healthz",
}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  server_errors = 0
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("server_errors")
  end
  io.write(string.format("5xx responses: %d\n", total))
  io.write(string.format("latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
