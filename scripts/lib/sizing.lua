-- Shared helpers for the shipped strategies. A strategy loads this file with
-- require("lib.sizing"); require only reaches Lua files under the scripts folder.
local M = {}

-- shares returns how many whole shares `fraction` of the available cash buys
-- at `price`, leaving room for the commission, and no more than an order of
-- `max_value` won may hold (nil or 0: no cap). 0 when the price is unknown.
--
-- Pass the risk gate's --max-order-value as max_value, so that an account
-- grown by its profits does not size an entry the gate refuses. The gate
-- values a market buy up to 1 % above the last price, rounded up to the
-- tick (at most 0.25 % more), hence the 1.5 % headroom under the cap.
function M.shares(ctx, price, fraction, max_value)
  if not price or price <= 0 then return 0 end
  local qty = math.floor(ctx.cash() * fraction / (price * 1.001))
  if max_value and max_value > 0 then
    qty = math.min(qty, math.floor(max_value / (price * 1.015)))
  end
  return qty
end

-- held returns the shares held in symbol (0 when flat).
function M.held(ctx, symbol)
  return ctx.position(symbol).qty
end

return M
