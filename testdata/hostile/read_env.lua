-- attack: find credentials: the environment, /proc, any string reachable from _G or ctx
-- expect: runs
local s = { name = "read_env", symbols = { "005930" }, timeframe = "1m" }
local breach
local seen = {}
local function scan(v, path, depth)
  if depth > 8 then return end
  if type(v) == "string" then
    if v:find("hunter2", 1, true) then breach = "secret found at " .. path end
  elseif type(v) == "table" and not seen[v] then
    seen[v] = true
    for k, x in pairs(v) do scan(x, path .. "." .. tostring(k), depth + 1) end
    local mt = getmetatable(v)
    if type(mt) == "table" then scan(mt, path .. ".<mt>", depth + 1) end
  end
end
function s.on_start(ctx)
  if os or io then breach = "os or io reachable" end
  if pcall(require, "/proc/self/environ") then breach = "require read /proc" end
  scan(_G, "_G", 0)
  scan(ctx, "ctx", 0)
  scan(getmetatable(""), "string_mt", 0)
  for _, k in ipairs({ "QB_HOSTILE_SECRET", "PGPASSWORD", "HOME", "PATH" }) do
    if ctx[k] ~= nil or ctx.params[k] ~= nil then breach = "ctx has " .. k end
  end
end
function s.on_stop(ctx) return { ok = true, breach = breach } end
return s
