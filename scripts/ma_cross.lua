-- Moving-average cross: buy when the fast SMA of closes crosses above the slow
-- one, sell everything when it crosses back below or the price falls
-- stop_loss (fraction) under the average cost.
--
-- The SMAs are computed in Go over the host's own bar history (ctx.sma), so
-- the strategy needs no warm-up of its own and a reloaded version trades at
-- once. Hooks receive closed bars only: nothing here can see a future price.
local sizing = require("lib.sizing")

local s = {
  name = "ma_cross",
  symbols = { "005930", "035420" },
  timeframe = "1d",
  -- max_order_value caps an entry's value: keep it at or under the risk
  -- gate's --max-order-value (20,000,000 won by default).
  params = { fast = 5, slow = 20, fraction = 0.18, stop_loss = 0.08, max_order_value = 20000000 },
}

-- prev[symbol] = fast minus slow at the previous bar, to detect the cross.
local prev = {}

function s.on_start(ctx, state)
  -- state is what on_stop returned last time (a reload or a restart), or nil.
  prev = (state and state.prev) or {}
  ctx.log.info("started", { fast = ctx.params.fast, slow = ctx.params.slow })
end

function s.on_bar(ctx, bar)
  local fast = ctx.sma(bar.symbol, ctx.params.fast)
  local slow = ctx.sma(bar.symbol, ctx.params.slow)
  if not fast or not slow then return end -- not enough history yet

  local diff, before = fast - slow, prev[bar.symbol]
  prev[bar.symbol] = diff
  local held = sizing.held(ctx, bar.symbol)

  if held > 0 then
    local pos = ctx.position(bar.symbol)
    local stopped = bar.close < pos.avg_price * (1 - ctx.params.stop_loss)
    if (before and before >= 0 and diff < 0) or stopped then
      ctx.sell(bar.symbol, held) -- market order, fills at the next trade
    end
  elseif before and before <= 0 and diff > 0 then
    local qty = sizing.shares(ctx, bar.close, ctx.params.fraction, ctx.params.max_order_value)
    if qty > 0 then
      local id, err = ctx.buy(bar.symbol, qty)
      if not id then ctx.log.warn("buy refused", { symbol = bar.symbol, reason = err }) end
    end
  end
end

function s.on_fill(ctx, fill)
  ctx.log.info("filled", { symbol = fill.symbol, side = fill.side, qty = fill.qty, price = fill.price })
end

function s.on_order(ctx, order)
  if order.status == "rejected" then
    ctx.log.warn("order rejected", { id = order.id, reason = order.reason })
  end
end

function s.on_stop(ctx)
  return { prev = prev } -- handed to the next on_start
end

return s
