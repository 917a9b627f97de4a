-- attack: a table grown without end in one call, each entry a 4000-element table
-- expect: stopped memory "allocated more than its per-call memory budget"
local s = { name = "table_growth", symbols = { "005930" }, timeframe = "1m" }
local row = {}
for i = 1, 4000 do row[i] = i end
function s.on_tick(ctx, t)
  local list, i = {}, 0
  while true do
    i = i + 1
    list[i] = { unpack(row) }
  end
end
return s
