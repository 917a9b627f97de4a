-- attack: byte, upper, reverse, find and sub over a 16 MiB string, in a loop
-- expect: stopped timeout|memory "huge_string_ops.lua"
local s = { name = "huge_string_ops", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t)
  local x = string.rep("q", 2^20)
  x = x .. x .. x .. x .. x .. x .. x .. x .. x .. x .. x .. x .. x .. x .. x .. x
  assert(not pcall(string.byte, x, 1, -1), "string.byte returned 16 million values")
  while true do
    local u = x:upper()
    x:find("z", 1, true)
    local r = x:sub(2):reverse()
  end
end
return s
