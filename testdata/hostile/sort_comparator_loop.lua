-- attack: a table.sort comparator that never returns (sort is one Go call)
-- expect: stopped timeout "exceeded the time budget"
local s = { name = "sort_comparator_loop", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t)
  local list = {}
  for i = 1, 5000 do list[i] = (i * 7919) % 5003 end
  table.sort(list, function(a, b) while true do end end)
end
return s
