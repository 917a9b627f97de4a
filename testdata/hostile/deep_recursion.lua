-- attack: unbounded Lua recursion
-- expect: stopped runtime "stack overflow"
local s = { name = "deep_recursion", symbols = { "005930" }, timeframe = "1m" }
local function down(n) return 1 + down(n + 1) end
function s.on_tick(ctx, t) down(1) end
return s
