-- attack: unpack over a huge range, one Go call pushing millions of values
-- expect: stopped runtime "too many results to unpack"
local s = { name = "unpack_huge", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t)
  return unpack({}, 1, 1e8)
end
return s
