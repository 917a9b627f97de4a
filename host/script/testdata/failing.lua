-- failing: on_tick fails in the way params.mode says; on_bar always works.
local s = {
  name = "failing",
  symbols = { "005930" },
  timeframe = "1m",
  params = { mode = "error" },
}

local bars = 0
local started = 0

function s.on_start(ctx, state)
  started = started + 1
end

function s.on_tick(ctx, tick)
  local mode = ctx.params.mode
  if mode == "error" then
    local t = nil
    return t.field -- line 20: attempt to index a nil value
  elseif mode == "loop" then
    while true do end
  elseif mode == "pcall_loop" then
    while true do
      pcall(function() while true do end end)
    end
  elseif mode == "grow" then
    local t = {}
    while true do t[#t + 1] = #t end
  end
end

function s.on_bar(ctx, bar)
  bars = bars + 1
end

function s.on_stop(ctx)
  return { bars = bars, started = started }
end

return s
