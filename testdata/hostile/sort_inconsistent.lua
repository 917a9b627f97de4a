-- attack: an inconsistent comparator (random answers, errors) and a sort past the bound
-- expect: runs
local s = { name = "sort_inconsistent", symbols = { "005930" }, timeframe = "1m" }
local breach
local calls = 0
local huge, tried = {}, false
function s.on_tick(ctx, t)
  calls = calls + 1
  if calls <= 5 then
    local list = {}
    for i = 1, 2000 do list[i] = i end
    table.sort(list, function(a, b) return math.random() < 0.5 end)
    if pcall(table.sort, list, function(a, b) error("no") end) then breach = "a failing comparator went unnoticed" end
  end
  -- grow a list past the sort bound a little per call, then sort it
  if #huge <= 2^16 then
    for i = 1, 5000 do table.insert(huge, (i * 7919) % 65537) end
  elseif not tried then
    tried = true
    if pcall(table.sort, huge) then breach = "sorted more than the bound in one call" end
  end
end
function s.on_stop(ctx)
  if not tried then breach = "never reached the bound" end
  return { ok = true, breach = breach }
end
return s
