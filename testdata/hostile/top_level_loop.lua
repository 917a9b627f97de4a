-- attack: an infinite loop in the file's top level, before any hook
-- expect: load-error "exceeded the time budget"
while true do end
return { name = "top_level_loop", symbols = { "005930" }, timeframe = "1m" }
