-- attack: a chain of twenty thousand tables linked by __index, then a missing key
-- expect: stopped runtime "too many recursions"
local s = { name = "index_chain", symbols = { "005930" }, timeframe = "1m" }
local head = {}
function s.on_start(ctx)
  for i = 1, 20000 do head = setmetatable({}, { __index = head }) end
end
function s.on_tick(ctx, t) return head.missing end
return s
