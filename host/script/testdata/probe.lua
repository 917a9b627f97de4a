-- probe: reports the type of a global (or of lib.field) named by params,
-- and lets a test set and read globals, to check the sandbox.
local s = {
  name = "probe",
  symbols = { "005930" },
  timeframe = "1m",
  params = { lib = "", field = "", set = "" },
}

local function lookup(p)
  local v = _G[p.lib ~= "" and p.lib or p.field]
  if p.lib ~= "" then v = v and v[p.field] end
  return v
end

function s.on_start(ctx, state)
  if ctx.params.set ~= "" then _G[ctx.params.set] = "leaked" end
end

function s.on_stop(ctx)
  local p = ctx.params
  return { type = type(lookup(p)), seen = tostring(_G.shared_secret) }
end

return s
