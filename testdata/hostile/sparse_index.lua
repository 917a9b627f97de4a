-- attack: t[2^26 - 100] = true, one instruction that allocates a gigabyte in stock gopher-lua
-- expect: runs
local s = { name = "sparse_index", symbols = { "005930" }, timeframe = "1m" }
local breach
function s.on_tick(ctx, t)
  local x = {}
  x[2^26 - 100] = true
  x[2^25] = 1
  x[65537] = 2
  if x[2^26 - 100] ~= true or x[2^25] ~= 1 then breach = "sparse keys lost" end
end
function s.on_stop(ctx) return { ok = true, breach = breach } end
return s
