-- attack: an infinite loop in on_tick
-- expect: stopped timeout "exceeded the time budget"
local s = { name = "infinite_loop", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t) while true do end end
return s
