-- attack: a global that keeps 4 MiB more on every tick, each call well within budget
-- expect: stopped memory "retains more than its memory budget"
local s = { name = "retained_growth", symbols = { "005930" }, timeframe = "1m" }
hoard = {}
function s.on_tick(ctx, t)
  if #hoard >= 160 then return end -- 160 MiB: if the limit failed, the test fails instead of the machine
  for i = 1, 4 do hoard[#hoard + 1] = string.rep("h", 2^20 - 16) .. string.format("%016d", #hoard) end
end
return s
