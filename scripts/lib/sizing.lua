-- Shared helpers for the shipped strategies. A strategy loads this file with
-- require("lib.sizing"); require only reaches Lua files under the scripts folder.
local M = {}

-- shares returns how many whole shares `fraction` of the available cash buys
-- at `price`, leaving room for the commission. 0 when the price is unknown.
function M.shares(ctx, price, fraction)
  if not price or price <= 0 then return 0 end
  local budget = ctx.cash() * fraction
  return math.floor(budget / (price * 1.001))
end

-- held returns the shares held in symbol (0 when flat).
function M.held(ctx, symbol)
  return ctx.position(symbol).qty
end

return M
