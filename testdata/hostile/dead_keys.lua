-- attack: store and delete fresh keys: the table looks empty to pairs() but gopher-lua keeps every key
-- expect: stopped memory "retains more than its memory budget"
local s = { name = "dead_keys", symbols = { "005930" }, timeframe = "1m" }
local ghost, n = {}, 0
function s.on_tick(ctx, t)
  if n >= 2e6 then return end -- about 200 MB: if the limit failed, the test fails instead of the machine
  for i = 1, 20000 do
    n = n + 1
    local k = "key" .. n
    ghost[k] = true
    ghost[k] = nil
  end
end
return s
