-- attack: an error handler that never returns
-- expect: stopped timeout "exceeded the time budget"
local s = { name = "xpcall_handler_loop", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t)
  xpcall(function() error("x") end, function(e) while true do end end)
end
return s
