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
// bar and sells them with a limit below it after the second. The bars are
// flat, so both limits are gapped through at the next open and fill at
// that price, whatever the slippage.
const taxProbe = `
local s = { name = "taxprobe", symbols = { "%s" }, timeframe = "1d" }
local n = 0
function s.on_bar(ctx, bar)
  n = n + 1
  if n == 1 then ctx.buy(bar.symbol, 10, 24000) end
  if n == 2 then ctx.sell(bar.symbol, 10, 15000) end
end
return s
`

// A replayed sale is taxed at the rates of its own date and its symbol's
// market. Every expected amount is worked by hand below, not by krx.
func TestReplayTaxesBySaleDateAndMarket(t *testing.T) {
	listing := krx.NewListing([]krx.Stock{{Symbol: "293490", Name: "Kakao Games", Market: krx.KOSDAQ}}, nil)
	for _, tc := range []struct {
		name, sym, year string
		price           int64 // every bar's open, high, low and close
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
				p := tc.price
				fmt.Fprintf(&bars, "%s%s,%d,%d,%d,%d,1000000\n", tc.year, d, p, p, p, p)
			}
			data := filepath.Join(dir, tc.sym+".csv")
			script := filepath.Join(dir, "probe.lua")
			if err := os.WriteFile(data, []byte(bars.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(script, []byte(fmt.Sprintf(taxProbe, tc.sym)), 0o644); err != nil {
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
			if sell.Side != "SELL" || sell.Qty != 10 || sell.Price != tc.price || !strings.HasPrefix(sell.Time, tc.year+"-03") {
				t.Fatalf("sell fill %+v, want 10 at %d in March %s", sell, tc.price, tc.year)
			}
			if sell.Fee != tc.fee || sell.Tax != tc.tax {
				t.Fatalf("sell fill fee %d tax %d, want %d %d", sell.Fee, sell.Tax, tc.fee, tc.tax)
			}
		})
	}
}
