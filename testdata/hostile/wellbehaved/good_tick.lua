-- A well-behaved strategy that trades on ticks and leans on the string and
-- table libraries, so a hostile script that could reach its string
-- metatable, library tables or globals would change its fills or state.
local s = { name = "good_tick", symbols = { "005930" }, timeframe = "1m" }
local n, side = 0, "buy"
local seen = {}
function s.on_tick(ctx, t)
  n = n + 1
  seen[#seen % 20 + 1] = t.price
  if n % 37 ~= 0 then return end
  local sorted = { unpack(seen) }
  table.sort(sorted)
  local label = string.format("%s:%d", side, sorted[1])
  if side:upper() == "BUY" and label:find("buy:", 1, true) == 1 then
    ctx.buy("005930", 10)
    side = "sell"
  elseif side:upper() == "SELL" and ctx.position("005930").qty >= 10 then
    ctx.sell("005930", 10)
    side = "buy"
  end
end
function s.on_stop(ctx)
  return { ticks = n, check = table.concat({ ("abc"):upper(), ("XyZ"):lower(), tostring(#"four"), type(string.rep) }, ",") }
end
return s
