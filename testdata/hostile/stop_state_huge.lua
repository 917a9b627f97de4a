-- attack: on_stop returns a state of twenty thousand entries
-- expect: stop-error "more than 10000 entries"
local s = { name = "stop_state_huge", symbols = { "005930" }, timeframe = "1m" }
function s.on_stop(ctx)
  local st = {}
  for i = 1, 20000 do st["k" .. i] = i end
  return st
end
return s
