-- attack: reach the process, files or compiler: os, io, debug, coroutine, load, require, package...
-- expect: runs
local s = { name = "escape_libs", symbols = { "005930" }, timeframe = "1m" }
local breach
local function check(what, ok) if not ok then breach = (breach and breach .. ", " or "") .. what end end
function s.on_start(ctx)
  for _, name in ipairs({ "os", "io", "debug", "coroutine", "package", "channel", "load", "loadstring",
      "dofile", "loadfile", "getfenv", "setfenv", "collectgarbage", "rawget", "rawset", "rawequal",
      "module", "newproxy", "_printregs" }) do
    check(name .. " is reachable", _G[name] == nil)
  end
  check("string.dump", string.dump == nil)
  check("math.randomseed", math.randomseed == nil)
  for _, path in ipairs({ "os", "io", "/etc/passwd", "../../../../etc/passwd", "..", "util/../../wellbehaved/good_ma", "modules.util" }) do
    check("require " .. path, not pcall(require, path))
  end
  check("require util", pcall(require, "util"))
  check("getmetatable(ctx)", getmetatable(ctx) == nil)
  check("ctx function with upvalue access", pcall(string.dump or error, ctx.buy) == false)
end
function s.on_stop(ctx) return { ok = true, breach = breach } end
return s
