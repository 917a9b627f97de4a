-- attack: every ctx function called with garbage arguments, in every count
-- expect: runs
local s = { name = "ctx_garbage", symbols = { "005930" }, timeframe = "1m" }
local garbage = { true, 0 / 0, math.huge, -1, 2^62, 0.5, "", "005930", string.rep("z", 1e5), {}, print,
  setmetatable({}, { __tostring = function() error("boom") end, __index = function() error("idx") end }) }
local calls = 0
function s.on_tick(ctx, t)
  calls = calls + 1
  if calls % 50 ~= 1 then return end
  local names = {}
  for k in pairs(ctx) do names[#names + 1] = k end
  table.sort(names)
  for _, k in ipairs(names) do
    local f = ctx[k]
    if type(f) == "function" then
      for i = 1, #garbage + 1 do
        pcall(f, garbage[i])
        pcall(f, "005930", garbage[i])
        pcall(f, "005930", 1, garbage[i])
        pcall(f, garbage[i], garbage[i], garbage[i], garbage[i], garbage[i], garbage[i], garbage[i], garbage[i], garbage[i])
      end
    end
  end
  for _, lvl in ipairs({ "debug", "info", "warn", "error" }) do
    for i = 1, #garbage + 1 do pcall(ctx.log[lvl], garbage[i], garbage[i]) end
    pcall(ctx.log[lvl], "m", { level = 1 })
    pcall(ctx.log[lvl], "m", { [1] = 2 })
  end
end
function s.on_stop(ctx) return { ok = true } end
return s
