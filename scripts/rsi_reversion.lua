-- RSI mean reversion: buy when RSI(period) closes under `oversold`, sell when
-- it closes over `overbought`, or after `max_hold` bars, whichever comes first.
-- Entries are market orders: they fill at the next trade after the bar closes.
local sizing = require("lib.sizing")

local s = {
  name = "rsi_reversion",
  symbols = { "005930", "035420" },
  timeframe = "1d",
  -- max_order_value caps an entry's value: keep it at or under the risk
  -- gate's --max-order-value (20,000,000 won by default).
  params = { period = 14, oversold = 30, overbought = 70, fraction = 0.18, max_hold = 20, max_order_value = 20000000 },
}

local held_bars = {} -- symbol -> bars since entry

function s.on_start(ctx, state)
  held_bars = (state and state.held_bars) or {}
end

function s.on_bar(ctx, bar)
  local rsi = ctx.rsi(bar.symbol, ctx.params.period)
  if not rsi then return end
  local held = sizing.held(ctx, bar.symbol)

  if held > 0 then
    held_bars[bar.symbol] = (held_bars[bar.symbol] or 0) + 1
    if rsi > ctx.params.overbought or held_bars[bar.symbol] >= ctx.params.max_hold then
      ctx.sell(bar.symbol, held)
      held_bars[bar.symbol] = nil
    end
    return
  end

  if rsi < ctx.params.oversold and #ctx.orders() == 0 then
    local qty = sizing.shares(ctx, bar.close, ctx.params.fraction, ctx.params.max_order_value)
    if qty > 0 then ctx.buy(bar.symbol, qty) end
  end
end

function s.on_order(ctx, order)
  if order.status == "rejected" then
    ctx.log.warn("rejected", { id = order.id, reason = order.reason })
  end
end

function s.on_stop(ctx)
  -- Cancel unfilled entries on a stop: a limit left working overnight would
  -- fill on data the next version has not decided on.
  for _, o in ipairs(ctx.orders()) do ctx.cancel(o.id) end
  return { held_bars = held_bars }
end

return s
