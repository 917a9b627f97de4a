-- attack: on_start "sleeps" by busy-waiting on the clock, which never moves inside a hook
-- expect: stopped timeout|memory "busy_wait_start.lua:6: on_start"
local s = { name = "busy_wait_start", symbols = { "005930" }, timeframe = "1m" }
function s.on_start(ctx, state)
  local until_ = ctx.now() + 10
  while ctx.now() < until_ do end
end
return s
