-- attack: string.rep asked for terabytes (a fatal out-of-memory in stock gopher-lua)
-- expect: stopped runtime "string.rep: result would exceed"
local s = { name = "string_rep_bomb", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t)
  local big = string.rep("x", 2^40)
end
return s
