-- attack: Lua patterns that backtrack for minutes inside one Go call
-- expect: stopped runtime "Lua patterns are disabled"
local s = { name = "patterns", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t)
  local subject = string.rep("a", 40)
  string.find(subject, string.rep("a-", 20) .. "b")
  subject:gsub("a", "b")
end
return s
