-- bench: hooks for the benchmarks; params.mode picks what on_tick does.
local s = {
  name = "bench",
  symbols = { "005930" },
  timeframe = "1m",
  params = { mode = "empty" },
}

local mode = "empty"
local sum = 0

function s.on_start(ctx, state)
  mode = ctx.params.mode
end

function s.on_tick(ctx, t)
  if mode == "sma" then
    local v = ctx.sma(t.symbol, 20)
    if v then sum = sum + v end
  elseif mode == "work" then
    local w = { t.price, t.bid, t.ask, t.volume, t.price % 7, t.price % 11 }
    local label = string.format("%s:%d", t.symbol, t.price)
    table.sort(w)
    sum = sum + #label + #table.concat(w, ",") + select("#", unpack(w))
  end
end

function s.on_bar(ctx, b)
  sum = sum + b.open + b.high + b.low + b.close + b.volume + b.time
end

return s
