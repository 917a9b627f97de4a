package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// qb import --metadata fills stock_metadata in either store, and a second
// file replaces the rows of the symbols it lists.
func TestImportMetadata(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		out := mustQB(t, "import", "--store", target, "--log-level", "warn", "--metadata", "../../testdata/krx/metadata.csv")
		if !strings.Contains(out, "metadata.csv: 6 stocks") {
			t.Fatalf("import printed %q", out)
		}
		more := filepath.Join(t.TempDir(), "more.csv")
		if err := os.WriteFile(more, []byte("symbol,name,market,sector,listed\n"+
			"293490,Kakao Games,KOSDAQ,Services,2020-09-10\n005930,삼성전자,KOSPI,전기전자,1975-06-11\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		mustQB(t, "import", "--store", target, "--log-level", "warn", "--metadata", more)
		stocks, err := openTestStore(t, target).Stocks(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got := map[market.Symbol]string{}
		for _, s := range stocks {
			got[s.Code] = fmt.Sprintf("%s|%s|%s|%s", s.Name, s.Market, s.Sector, s.Listed.In(market.Seoul).Format(time.DateOnly))
		}
		for sym, want := range map[market.Symbol]string{
			"005930": "삼성전자|KOSPI|전기전자|1975-06-11",
			"293490": "Kakao Games|KOSDAQ|Services|2020-09-10",
			"035420": "NAVER|KOSPI|Services|2002-10-29",
		} {
			if got[sym] != want {
				t.Errorf("%s: stored %q, want %q", sym, got[sym], want)
			}
		}
		if len(stocks) != 7 {
			t.Errorf("%d rows, want 7", len(stocks))
		}
	})
}

// A bad row stops the import with the file, the line and the field.
func TestImportMetadataRejectsBadRows(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, text, want string }{
		{"market.csv", "symbol,name,market,sector,listed\n005930,A,KOSPI,,\n035420,B,NYSE,,\n", `market.csv:3: market: "NYSE"`},
		{"date.csv", "symbol,name,market,sector,listed\n005930,A,KOSPI,,11/06/1975\n", `date.csv:2: listed: "11/06/1975"`},
		{"header.csv", "code,name\n", "header.csv:1: header"},
		{"other_code.mst", "x\n", "kospi_code.mst or kosdaq_code.mst"},
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errOut, code := qb(t, context.Background(), "import", "--store", filepath.Join(dir, "qb.db"), "--log-level", "error", "--metadata", path)
		if code != 1 || !strings.Contains(errOut, path) || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, output lacks %q:\n%s%s", tc.name, code, tc.want, out, errOut)
		}
	}
}

// sellTwice buys 10 shares, then sells them in two orders of 5, all with
// limits that fill at their own prices.
const sellTwice = `
local s = { name = "sell_twice", symbols = { "0000J0" }, timeframe = "1d" }
local n = 0
function s.on_bar(ctx, bar)
  n = n + 1
  if n == 1 then ctx.buy(bar.symbol, 10, 21000) end
  if n == 2 then
    ctx.sell(bar.symbol, 5, 18000)
    ctx.sell(bar.symbol, 5, 18000)
  end
end
return s
`

// replaySellTwice replays sellTwice on flat March 2016 bars of 0000J0, a
// symbol no built-in listing knows, and returns the sells' taxes and the
// log.
func replaySellTwice(t *testing.T, extra ...string) (taxes []int64, log string) {
	t.Helper()
	dir := t.TempDir()
	var bars strings.Builder
	bars.WriteString("date,open,high,low,close,volume\n")
	for _, d := range []string{"02", "03", "04", "07", "08", "09", "10"} {
		// Flat at 19,000: the limits below are gapped through at each
		// open, so every fill is at 19,000.
		fmt.Fprintf(&bars, "201603%s,19000,19000,19000,19000,1000000\n", d)
	}
	data := filepath.Join(dir, "0000J0.csv")
	if err := os.WriteFile(data, []byte(bars.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	script := writeScript(t, dir, "sell_twice.lua", sellTwice)
	report := filepath.Join(dir, "report.json")
	args := append([]string{"replay", "--data", data, "--strategy", script, "--report", report, "--log-format", "json"}, extra...)
	out, errOut, code := qb(t, context.Background(), args...)
	if code != 0 {
		t.Fatalf("replay: exit %d\n%s%s", code, out, errOut)
	}
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Strategies []struct {
			Fills []struct {
				Side string
				Tax  int64
			}
		}
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Strategies[0].Fills {
		if f.Side == "SELL" {
			taxes = append(taxes, f.Tax)
		}
	}
	if len(taxes) != 2 {
		t.Fatalf("sell taxes %v, want two sells", taxes)
	}
	return taxes, errOut
}

// A symbol of unknown market is taxed as KOSPI and warned about once,
// however many times it is sold.
func TestUnknownMarketWarnedOnce(t *testing.T) {
	taxes, log := replaySellTwice(t)
	// 5 × 19,000 = 95,000 sold in March 2016 as KOSPI: 0.15 % = 142.5 → 142,
	// twice (transaction and rural tax): 284 a sale.
	if taxes[0] != 284 || taxes[1] != 284 {
		t.Errorf("sell taxes %v, want 284 each (KOSPI 2016)", taxes)
	}
	if n := strings.Count(log, "market of symbol unknown"); n != 1 || !strings.Contains(log, `"symbol":"0000J0"`) {
		t.Fatalf("the warning appears %d times, want once, naming 0000J0:\n%s", n, log)
	}
}

// --metadata lists the symbol: a KOSDAQ sale pays one 0.30 % tax in 2016,
// and nothing is warned.
func TestReplayMetadataFlag(t *testing.T) {
	listing := filepath.Join(t.TempDir(), "listing.csv")
	if err := os.WriteFile(listing, []byte("symbol,name,market,sector,listed\n0000J0,Test Co,KOSDAQ,,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	taxes, log := replaySellTwice(t, "--metadata", listing)
	// 95,000 × 0.30 % = 285 a sale.
	if taxes[0] != 285 || taxes[1] != 285 {
		t.Errorf("sell taxes %v, want 285 each (KOSDAQ 2016)", taxes)
	}
	if strings.Contains(log, "market of symbol unknown") {
		t.Fatalf("warned about a listed symbol:\n%s", log)
	}
}
