-- attack: s = s .. s doubles a string each step, gigabytes within a second
-- expect: stopped memory "allocated more than its per-call memory budget"
local s = { name = "doubling", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t)
  local x = "x"
  while true do x = x .. x end
end
return s
