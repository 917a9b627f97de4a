-- attack: a flood of log lines and prints, huge messages and fields
-- expect: runs
local s = { name = "log_flood", symbols = { "005930" }, timeframe = "1m" }
local big = string.rep("L", 2^20)
local calls = 0
function s.on_tick(ctx, t)
  calls = calls + 1
  if calls > 20 then return end
  for i = 1, 2000 do
    ctx.log.info(big, { field = big, n = i })
    print(big, big, big)
  end
end
function s.on_stop(ctx) return { ok = true } end
return s
