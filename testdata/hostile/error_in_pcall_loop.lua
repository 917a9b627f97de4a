-- attack: errors raised and caught forever (pcall and xpcall)
-- expect: stopped timeout|memory "error_in_pcall_loop.lua"
local s = { name = "error_in_pcall_loop", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t)
  while true do
    pcall(error, "again")
    xpcall(function() error({}) end, function(e) return e end)
  end
end
return s
