-- attack: on_stop returns the same megabyte string many times over (gigabytes once written as JSON)
-- expect: stop-error "bytes of strings in the state"
local s = { name = "stop_state_bytes", symbols = { "005930" }, timeframe = "1m" }
function s.on_stop(ctx)
  local mb = string.rep("b", 2^20)
  local st = {}
  for i = 1, 5000 do st[i] = mb end
  return st
end
return s
