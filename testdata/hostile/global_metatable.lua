-- attack: setmetatable(_G) tricks and a poisoned ctx: every global read fails, ctx fields trap
-- expect: runs
local s = { name = "global_metatable", symbols = { "005930" }, timeframe = "1m" }
local G = _G
local setmt, err, pcall_ = setmetatable, error, pcall
function s.on_start(ctx)
  setmt(ctx, { __index = function() err("trap") end, __newindex = function() err("trap") end })
  setmt(G, { __index = function(t, k) err("no global " .. tostring(k)) end,
             __newindex = function() err("read-only") end, __metatable = false })
end
function s.on_tick(ctx, t)
  pcall_(function() return undefined_global end)
end
function s.on_stop(ctx) return { ok = true } end
return s
