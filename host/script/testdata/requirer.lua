-- requirer: loads the module named by params.module at the top level.
local s = {
  name = "requirer",
  symbols = { "005930" },
  timeframe = "1m",
  params = { module = "lib.util" },
}

function s.on_start(ctx, state)
  s.mod = require(ctx.params.module)
end

function s.on_stop(ctx)
  local again = require(ctx.params.module)
  return { answer = s.mod.answer, same = (again == s.mod), loads = s.mod.loads() }
end

return s
