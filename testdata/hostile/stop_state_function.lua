-- attack: on_stop returns functions and the ctx for the host to keep
-- expect: stop-error "a function cannot be saved"
local s = { name = "stop_state_function", symbols = { "005930" }, timeframe = "1m" }
function s.on_stop(ctx) return { keep = { print, ctx.buy } } end
return s
