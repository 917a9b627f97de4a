-- attack: on_stop returns a table that contains itself
-- expect: stop-error "nested deeper than 16 tables"
local s = { name = "stop_state_cycle", symbols = { "005930" }, timeframe = "1m" }
function s.on_stop(ctx)
  local st = { a = {} }
  st.a.back = st
  return st
end
return s
