-- attack: poison the string metatable and library tables, hoping another strategy shares them
-- expect: runs
local s = { name = "string_metatable", symbols = { "005930" }, timeframe = "1m" }
function s.on_start(ctx)
  local mt = getmetatable("")
  mt.__index = { upper = function() return "pwned" end, find = function() return nil end }
  string.upper = function() return "pwned" end
  string.format = function() return "pwned" end
  table.sort = function() error("pwned") end
  table.concat = function() return "pwned" end
  unpack = function() return end
  mt.__metatable = "locked"
end
function s.on_stop(ctx)
  return { ok = ("a"):upper() == "pwned" and getmetatable("") == "locked" }
end
return s
