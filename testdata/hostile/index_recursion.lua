-- attack: an __index metamethod that recurses into itself
-- expect: stopped runtime "stack overflow"
local s = { name = "index_recursion", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t)
  local o = setmetatable({}, {})
  getmetatable(o).__index = function(tbl, k) return tbl[k .. "x"] end
  return o.a
end
return s
