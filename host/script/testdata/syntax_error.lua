local s = {
  name = "broken",
  symbols = { "005930" },
  timeframe = "1m",
}

function s.on_bar(ctx, bar)
  if bar.close > 100 then
    ctx.buy(bar.symbol, 1
  end
end

return s
