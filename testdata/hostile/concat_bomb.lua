-- attack: table.concat and tostring over a list of big strings
-- expect: stopped runtime "table.concat: result would exceed"
local s = { name = "concat_bomb", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t)
  local piece = string.rep("c", 2^20)
  local list = {}
  for i = 1, 20 do list[i] = piece end
  for i = 1, 20 do local _ = tostring(list) .. tostring(i) end
  return table.concat(list, piece)
end
return s
