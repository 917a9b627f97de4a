-- attack: error objects that are tables whose __tostring loops or recurses
-- expect: stopped runtime "(error object is a table value)"
local s = { name = "error_object_tostring", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t)
  local e = setmetatable({}, { __tostring = function(self) while true do end end })
  local r = setmetatable({}, {})
  getmetatable(r).__tostring = function(self) return tostring(self) end
  if t.price % 2 == 0 then error(e) else error(r) end
end
return s
