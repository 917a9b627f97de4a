-- attack: overrun the budget on every other tick, so failures are never consecutive
-- expect: stopped timeout "timeouts within 1000 calls"
local s = { name = "intermittent_overrun", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t)
  if t.time % 10 == 0 then while true do end end
end
return s
