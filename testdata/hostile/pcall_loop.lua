-- attack: an infinite loop inside pcall, inside a loop, to swallow the timeout
-- expect: stopped timeout "exceeded the time budget"
local s = { name = "pcall_loop", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t)
  while true do pcall(function() while true do end end) end
end
return s
