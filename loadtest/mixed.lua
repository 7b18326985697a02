-- Readers for wrk: each request is one of the readers' pages picked at random, or the
-- view counter's beacon a browser sends after a page (the article's id is the script's
-- argument). Counts 5xx answers per thread and prints their sum at the end.
local article_path = "/tin-tuc/tong-ket-cong-tac-ho-tro-nang-cao-chat-luong-hoat-dong-cong-tac-doan-va-phong-trao-thanh-thieu-nhi-nam-2022/"
local paths = {
  "/", "/", "/", "/tin-tuc/", "/tin-tuc/", article_path, article_path,
  "/chuyen-muc/cong-tac-doan/", "/xa-ho-tro/", "/xa-ho-tro/2022/",
  "/xa-ho-tro/2023/", "/xa-ho-tro/2022.csv", "/doc-nhieu/", "/healthz", "beacon",
}
local threads = {}
local beacon_headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Sec-Fetch-Site"] = "same-origin",
  ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  server_errors = 0
  article_id = args[1] or ""
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  local path = paths[math.random(#paths)]
  if path == "beacon" then
    return wrk.format("POST", "/luot-xem/", beacon_headers, "article=" .. article_id)
  end
  return wrk.format("GET", path)
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
