-- hooks: records what every hook receives, so a test can read it back
-- from on_stop.
local s = {
  name = "hooks",
  symbols = { "005930", "000660" },
  timeframe = "1m",
  params = { qty = 10, note = "hi", live = false },
}

local seen = { ticks = 0, bars = 0 }

function s.on_start(ctx, state)
  seen.start = state
end

function s.on_tick(ctx, t)
  seen.ticks = seen.ticks + 1
  seen.tick = { symbol = t.symbol, price = t.price, volume = t.volume, time = t.time, bid = t.bid, ask = t.ask }
end

function s.on_bar(ctx, b)
  seen.bars = seen.bars + 1
  seen.bar = { symbol = b.symbol, timeframe = b.timeframe, time = b.time, open = b.open,
    high = b.high, low = b.low, close = b.close, volume = b.volume }
end

function s.on_fill(ctx, f)
  seen.fill = { order_id = f.order_id, symbol = f.symbol, side = f.side, qty = f.qty,
    price = f.price, fee = f.fee, tax = f.tax, time = f.time }
end

function s.on_order(ctx, o)
  seen.order = { id = o.id, symbol = o.symbol, side = o.side, type = o.type, qty = o.qty,
    price = o.price, filled = o.filled, status = o.status, reason = o.reason }
end

function s.on_stop(ctx)
  return seen
end

return s
