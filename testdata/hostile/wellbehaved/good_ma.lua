-- A well-behaved strategy that trades beside each hostile one: a fast/slow
-- SMA cross on one-minute bars.
local s = { name = "good_ma", symbols = { "005930" }, timeframe = "1m", params = { fast = 2, slow = 4 } }
local prev
local bars = 0
function s.on_bar(ctx, bar)
  bars = bars + 1
  local fast, slow = ctx.sma("005930", ctx.params.fast), ctx.sma("005930", ctx.params.slow)
  if not fast or not slow then return end
  local up = fast > slow
  local held = ctx.position("005930").qty
  if up and prev == false and held == 0 then ctx.buy("005930", 200) end
  if not up and prev and held > 0 then ctx.sell("005930", held) end
  prev = up
end
function s.on_stop(ctx) return { bars = bars } end
return s
