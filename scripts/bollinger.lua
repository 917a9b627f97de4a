-- Bollinger band reversion: buy when a bar closes under the lower band, take
-- profit when it closes over the middle band, cut the loss when it closes
-- under lower - (upper - lower) * stop_width.
local sizing = require("lib.sizing")

local s = {
  name = "bollinger",
  symbols = { "005930", "035420" },
  timeframe = "1d",
  -- max_order_value caps an entry's value: keep it at or under the risk
  -- gate's --max-order-value (20,000,000 won by default).
  params = { period = 20, width = 2, fraction = 0.18, stop_width = 0.5, max_order_value = 20000000 },
}

function s.on_bar(ctx, bar)
  local upper, middle, lower = ctx.bbands(bar.symbol, ctx.params.period, ctx.params.width)
  if not upper then return end
  local held = sizing.held(ctx, bar.symbol)

  if held > 0 then
    local stop = lower - (upper - lower) * ctx.params.stop_width
    if bar.close > middle or bar.close < stop then
      ctx.sell(bar.symbol, held)
    end
  elseif bar.close < lower then
    local qty = sizing.shares(ctx, bar.close, ctx.params.fraction, ctx.params.max_order_value)
    if qty > 0 then ctx.buy(bar.symbol, qty) end
  end
end

function s.on_fill(ctx, fill)
  ctx.log.info("filled", { symbol = fill.symbol, side = fill.side, qty = fill.qty, price = fill.price, fee = fill.fee })
end

return s
