package replay

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/load"
	"github.com/qbtrading/qb/lib/krx"
)

// taxProbe buys 10 shares with a limit above the market after the first
// bar and sells them with a limit below it after the second, so both fill
// at their limit prices whatever the slippage.
const taxProbe = `
local s = { name = "taxprobe", symbols = { "%s" }, timeframe = "1d" }
local n = 0
function s.on_bar(ctx, bar)
  n = n + 1
  if n == 1 then ctx.buy(bar.symbol, 10, 21000) end
  if n == 2 then ctx.sell(bar.symbol, 10, %d) end
end
return s
`

// A replayed sale is taxed at the rates of its own date and its symbol's
// market. Every expected amount is worked by hand below, not by krx.
func TestReplayTaxesBySaleDateAndMarket(t *testing.T) {
	listing := krx.NewListing([]krx.Stock{{Symbol: "293490", Name: "Kakao Games", Market: krx.KOSDAQ}}, nil)
	for _, tc := range []struct {
		name, sym, year string
		limit           int64
		fee, tax        int64
	}{
		// 10 × 19,000 = 190,000 sold in March 2016 on KOSPI:
		// commission 190,000 × 0.015 % = 28.5 → 28;
		// transaction tax × 0.15 % = 285, rural tax × 0.15 % = 285: 570.
		// (At 2026's 0.05 % + 0.15 % it would be 95 + 285 = 380.)
		{"KOSPI 2016", "005930", "2016", 19_000, 28, 570},
		// The same sale in March 2026: 95 + 285 = 380.
		{"KOSPI 2026", "005930", "2026", 19_000, 28, 380},
		// 10 × 19,050 = 190,500 sold in March 2016 on KOSDAQ: commission
		// 28.575 → 28; one 0.30 % transaction tax, 571.5 → 571 (KOSPI's two
		// taxes, rounded apart, would be 285 + 285 = 570).
		{"KOSDAQ 2016", "293490", "2016", 19_050, 28, 571},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var bars strings.Builder
			bars.WriteString("date,open,high,low,close,volume\n")
			for _, d := range []string{"0302", "0303", "0304", "0305", "0306", "0309"} {
				fmt.Fprintf(&bars, "%s%s,20000,20000,20000,20000,1000000\n", tc.year, d)
			}
			data := filepath.Join(dir, tc.sym+".csv")
			script := filepath.Join(dir, "probe.lua")
			if err := os.WriteFile(data, []byte(bars.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(script, []byte(fmt.Sprintf(taxProbe, tc.sym, tc.limit)), 0o644); err != nil {
				t.Fatal(err)
			}
			srcs, err := load.Strategies([]string{script})
			if err != nil {
				t.Fatal(err)
			}
			fees := krx.DefaultTariff()
			fees.Listing = listing
			rep, err := Run(context.Background(), Config{Data: []string{data}, Strategies: srcs, Fees: &fees, Log: zerolog.Nop()})
			if err != nil {
				t.Fatal(err)
			}
			fills := rep.Strategies[0].Fills
			if len(fills) != 2 {
				t.Fatalf("fills %+v, want a buy and a sell", fills)
			}
			sell := fills[1]
			if sell.Side != "SELL" || sell.Qty != 10 || sell.Price != tc.limit || !strings.HasPrefix(sell.Time, tc.year+"-03") {
				t.Fatalf("sell fill %+v, want 10 at %d in March %s", sell, tc.limit, tc.year)
			}
			if sell.Fee != tc.fee || sell.Tax != tc.tax {
				t.Fatalf("sell fill fee %d tax %d, want %d %d", sell.Fee, sell.Tax, tc.fee, tc.tax)
			}
		})
	}
}
