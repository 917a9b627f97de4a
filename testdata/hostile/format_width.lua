-- attack: string.format with a gigantic width, and with many huge strings
-- expect: stopped runtime "width or precision too long"
local s = { name = "format_width", symbols = { "005930" }, timeframe = "1m" }
local breach
function s.on_tick(ctx, t)
  local big = string.rep("f", 2^20)
  if pcall(string.format, string.rep("%s", 40), big, big, big, big, big, big, big, big, big, big,
    big, big, big, big, big, big, big, big, big, big, big, big, big, big, big, big, big, big, big, big,
    big, big, big, big, big, big, big, big, big, big) then
    error("40 MiB of format output went through")
  end
  return string.format("%999999999d", 1)
end
return s
