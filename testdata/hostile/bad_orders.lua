-- attack: orders with NaN, infinities, fractions, huge and negative quantities and prices, wrong symbols
-- expect: runs
local s = { name = "bad_orders", symbols = { "005930" }, timeframe = "1m" }
local breach
local function refused(f, ...)
  local ok, id = pcall(f, ...)
  if ok and id ~= nil then breach = "accepted an order: " .. tostring(id) end
end
local calls = 0
function s.on_tick(ctx, t)
  calls = calls + 1
  if calls % 50 ~= 1 then return end
  local nan, inf = 0 / 0, math.huge
  for _, q in ipairs({ nan, inf, -inf, 0.5, 1.5, -1, 0, 2^53, 1e300, "10", true, {} }) do
    refused(ctx.buy, "005930", q)
    refused(ctx.sell, "005930", q, 70000)
  end
  for _, p in ipairs({ nan, inf, -inf, 70000.5, -100, 1e300, "70000", false }) do
    refused(ctx.buy, "005930", 1, p)
  end
  for _, sym in ipairs({ "000000", "", string.rep("9", 1e6), 5930, nil }) do
    refused(ctx.buy, sym, 1)
  end
  refused(ctx.cancel, nan)
  refused(ctx.cancel, -1)
  refused(ctx.cancel, 2^60)
end
function s.on_stop(ctx) return { ok = true, breach = breach } end
return s
