package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/load"
	"github.com/qbtrading/qb/host/script"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The real KRX daily bars the shipped strategies are replayed on; see
// testdata/krx/README.md at the top of the repository for their source.
var dailyFiles = []string{
	"../../testdata/krx/daily/005930.csv",
	"../../testdata/krx/daily/035420.csv",
}

func runShipped(t *testing.T, strategies ...string) *Report {
	t.Helper()
	srcs, err := load.Strategies(strategies)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), Config{Data: dailyFiles, Strategies: srcs, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// Each shipped strategy trades on real data, and its report adds up to the
// won: every fill's commission and taxes are what the rates give (worked
// out here from the rates, not with lib/krx), cash is what it started with
// less what buys cost and plus what sells brought, positions are the sum of
// the fills, and equity is that cash plus the holdings at the last close.
// The same reconciliation runs on this run's reports and on the golden
// testdata/shipped.report.json and .summary.txt, which
// TestReportIsByteIdentical only compares with the code's own output.
func TestShippedStrategiesTradeAndReconcile(t *testing.T) {
	for _, file := range []string{"ma_cross.lua", "rsi_reversion.lua", "bollinger.lua"} {
		t.Run(file, func(t *testing.T) {
			rep := runShipped(t, filepath.Join("../../scripts", file))
			if len(rep.Strategies) != 1 {
				t.Fatalf("%d strategies in the report, want 1", len(rep.Strategies))
			}
			s := rep.Strategies[0]
			if s.Stats.Trades == 0 {
				t.Fatalf("%s made no trades over %d ticks", s.Name, rep.Ticks)
			}
			reconcile(t, s)
		})
	}
	data, err := os.ReadFile("testdata/shipped.report.json")
	if err != nil {
		t.Fatal(err)
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	summary, err := os.ReadFile("testdata/shipped.summary.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Strategies) != 3 {
		t.Fatalf("golden report has %d strategies, want the 3 shipped", len(rep.Strategies))
	}
	for _, s := range rep.Strategies {
		t.Run("golden/"+s.Name, func(t *testing.T) {
			if s.Stats.Trades == 0 || s.Error != nil {
				t.Fatalf("golden %s: %d trades, error %v", s.Name, s.Stats.Trades, s.Error)
			}
			reconcile(t, s)
			summaryAgrees(t, string(summary), s)
		})
	}
}

// A few of the golden fills, worked by hand (commission 0.015 % and each
// tax rounded down to the won on its own):
//
//	bollinger #1, BUY 149 × 119,000 on 2016-02-03 = 17,731,000;
//	  fee 17,731,000 × 0.00015 = 2,659.65 → 2,659; no tax on a buy.
//	  (The open was 118,700; one tick of slippage on 2016's KOSPI grid,
//	  500 won from 100,000, snaps up to 119,000.)
//	bollinger #53, SELL 429 × 43,750 on 2019-05-24 (before 2019-05-30)
//	  = 18,768,750; fee 2,815.3 → 2,815; transaction tax 0.15 % =
//	  28,153.1 → 28,153, rural tax 0.15 % → 28,153; tax 56,306.
//	bollinger #54, SELL 130 × 114,000 on 2019-06-13 (from 2019-05-30)
//	  = 14,820,000; fee 2,223.0 → 2,223; transaction tax 0.10 % = 14,820,
//	  rural tax 0.15 % = 22,230; tax 37,050.
//
// and bollinger's whole run: 100,000,000 start, flat at the end, so final
// equity = cash = start + realized (8,266,200 − 3,622,000) − fees 155,716
// − taxes 1,538,129 = 102,950,355.
var handWorked = []struct {
	strategy string
	orderID  int64
	fee, tax int64
}{
	{"bollinger", 1, 2_659, 0},
	{"bollinger", 53, 2_815, 56_306},
	{"bollinger", 54, 2_223, 37_050},
}

// The last closes of the replayed files (2019-12-30 rows of
// testdata/krx/daily/005930.csv and 035420.csv): both stocks are KOSPI.
var lastClose = map[string]int64{"005930": 55_800, "035420": 186_500}

// kospiSellTaxBP gives the KOSPI securities transaction tax and rural
// special tax, in hundredths of a basis point, of a sale on trade date day
// (yyyymmdd, KST): 0.15 % + 0.15 % to 2019-05-29, 0.10 % + 0.15 % from
// 2019-05-30 to 2020-12-28, 0.08 % + 0.15 % from 2020-12-29 (to 2022-12-27).
func kospiSellTaxBP(t *testing.T, day int) (transaction, rural int64) {
	switch {
	case day >= 20221228:
		t.Fatalf("a sale on %d: past the rates this test knows; add them", day)
	case day >= 20201229:
		return 800, 1500
	case day >= 20190530:
		return 1000, 1500
	}
	return 1500, 1500
}

// reconcile recomputes a strategy's report from its fills and the rates.
func reconcile(t *testing.T, s StrategyReport) {
	t.Helper()
	kst := time.FixedZone("KST", 9*3600)
	cash := s.StartCash
	var fees, taxes int64
	qty := map[string]int64{}
	worked := 0
	for i, f := range s.Fills {
		at, err := time.Parse(time.RFC3339, f.Time)
		if err != nil {
			t.Fatalf("fill %d: %v", i, err)
		}
		if _, ok := lastClose[f.Symbol]; !ok || f.Qty <= 0 || f.Price <= 0 {
			t.Fatalf("fill %d: %+v", i, f)
		}
		y, m, d := at.In(kst).Date()
		value := f.Qty * f.Price
		fee := value * 150 / 1_000_000 // 0.015 %, rounded down
		var tax int64
		switch f.Side {
		case "BUY":
			cash -= value + fee
			qty[f.Symbol] += f.Qty
		case "SELL":
			tr, ru := kospiSellTaxBP(t, y*10000+int(m)*100+d)
			tax = value*tr/1_000_000 + value*ru/1_000_000
			cash += value - fee - tax
			qty[f.Symbol] -= f.Qty
			if qty[f.Symbol] < 0 {
				t.Fatalf("fill %d: sells %d %s more than held", i, -qty[f.Symbol], f.Symbol)
			}
		default:
			t.Fatalf("fill %d: side %q", i, f.Side)
		}
		if f.Fee != fee || f.Tax != tax {
			t.Errorf("fill %d (%s %s %d × %d on %s): fee %d, tax %d; the rates give %d, %d",
				i, f.Side, f.Symbol, f.Qty, f.Price, f.Time, f.Fee, f.Tax, fee, tax)
		}
		for _, h := range handWorked {
			if h.strategy != s.Name || h.orderID != f.OrderID {
				continue
			}
			worked++
			if f.Fee != h.fee || f.Tax != h.tax {
				t.Errorf("%s order %d: fee %d, tax %d; worked by hand %d, %d", s.Name, f.OrderID, f.Fee, f.Tax, h.fee, h.tax)
			}
		}
		fees += fee
		taxes += tax
	}
	if s.Name == "bollinger" && worked != len(handWorked) {
		t.Errorf("%d of the %d fills worked by hand found", worked, len(handWorked))
	}
	if s.Stats.Trades != len(s.Fills) {
		t.Errorf("trades = %d, %d fills", s.Stats.Trades, len(s.Fills))
	}
	if cash != s.FinalCash {
		t.Errorf("final_cash = %d, fills and rates say %d", s.FinalCash, cash)
	}
	if fees != s.Stats.Fees || taxes != s.Stats.Taxes {
		t.Errorf("fees, taxes = %d, %d; fills and rates say %d, %d", s.Stats.Fees, s.Stats.Taxes, fees, taxes)
	}
	equity, realized, unrealized := cash, int64(0), int64(0)
	held := map[string]bool{}
	for _, p := range s.Positions {
		held[p.Symbol] = true
		if p.Qty != qty[p.Symbol] || p.LastPrice != lastClose[p.Symbol] || p.Value != p.Qty*p.LastPrice {
			t.Errorf("position %+v; fills say qty %d, last close %d", p, qty[p.Symbol], lastClose[p.Symbol])
		}
		if p.Qty == 0 && p.Cost != 0 {
			t.Errorf("flat position %+v keeps a cost", p)
		}
		equity += p.Qty * lastClose[p.Symbol]
		realized += p.Realized
		unrealized += p.Value - p.Cost
	}
	for sym, q := range qty {
		if q != 0 && !held[sym] {
			t.Errorf("fills leave %d %s, not in the positions", q, sym)
		}
	}
	if equity != s.FinalEquity {
		t.Errorf("final_equity = %d, cash + positions at the last close = %d", s.FinalEquity, equity)
	}
	// Profit is gross trading gains less costs: realized (before costs)
	// plus the open positions' gain, less every fee and tax.
	if got := s.StartCash + realized + unrealized - fees - taxes; got != s.FinalEquity {
		t.Errorf("start + realized %d + unrealized %d − fees − taxes = %d, final_equity %d", realized, unrealized, got, s.FinalEquity)
	}
	if last := s.Equity[len(s.Equity)-1].Equity; last != s.FinalEquity {
		t.Errorf("last equity point %d, final_equity %d", last, s.FinalEquity)
	}
}

// summaryAgrees finds s's row in the summary and checks its trades,
// return, fees, taxes and final equity against the reconciled report.
func summaryAgrees(t *testing.T, summary string, s StrategyReport) {
	t.Helper()
	group := func(n int64) string { // 1234567 → "1,234,567"
		d := strconv.FormatInt(n, 10)
		for i := len(d) - 3; i > 0; i -= 3 {
			d = d[:i] + "," + d[i:]
		}
		return d
	}
	ret := float64(s.FinalEquity-s.StartCash) / float64(s.StartCash) * 100
	for _, line := range strings.Split(summary, "\n") {
		f := strings.Fields(line)
		if len(f) < 9 || f[0] != s.Name {
			continue
		}
		want := []string{s.Name, strconv.Itoa(len(s.Fills)), strconv.FormatFloat(ret, 'f', 2, 64) + "%"}
		if f[0] != want[0] || f[1] != want[1] || f[2] != want[2] || f[6] != group(s.Stats.Fees) ||
			f[7] != group(s.Stats.Taxes) || f[8] != group(s.FinalEquity) {
			t.Errorf("summary row %q; report says %v trades, return, fees %s, taxes %s, equity %s",
				line, want, group(s.Stats.Fees), group(s.Stats.Taxes), group(s.FinalEquity))
		}
		return
	}
	t.Errorf("no summary row for %s", s.Name)
}

// The shipped strategies size their entries inside the default risk
// limits and can always close what they hold, so a first replay shows no
// rejected order; with ten times the cash, their sizing stays under the
// order value limit.
func TestShippedStrategiesHaveNoRejectedOrders(t *testing.T) {
	srcs, err := load.Strategies([]string{"../../scripts"})
	if err != nil {
		t.Fatal(err)
	}
	for _, cash := range []int64{0, 1_000_000_000} { // 0: the default 100,000,000 won
		rep, err := Run(context.Background(), Config{Data: dailyFiles, Strategies: srcs, Cash: cash, Log: zerolog.Nop()})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range rep.Strategies {
			if s.Rejected != 0 || s.Stats.Trades == 0 {
				t.Errorf("cash %d: %s had %d orders rejected and %d trades, want none rejected",
					cash, s.Name, s.Rejected, s.Stats.Trades)
			}
		}
	}
}

// Two runs of the same data and scripts give byte-identical reports and
// summaries, and they match the golden files (go test -update rewrites them
// after a deliberate change).
func TestReportIsByteIdentical(t *testing.T) {
	var outs [2][2]bytes.Buffer
	for i := range outs {
		rep := runShipped(t, "../../scripts")
		if err := rep.WriteJSON(&outs[i][0]); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteSummary(&outs[i][1]); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(outs[0][0].Bytes(), outs[1][0].Bytes()) {
		t.Fatal("two runs wrote different reports")
	}
	if !bytes.Equal(outs[0][1].Bytes(), outs[1][1].Bytes()) {
		t.Fatal("two runs wrote different summaries")
	}
	golden(t, "testdata/shipped.report.json", outs[0][0].Bytes())
	golden(t, "testdata/shipped.summary.txt", outs[0][1].Bytes())
}

// A strategy's part of the report (fills with their order ids, equity,
// stats) is byte-identical whether it runs alone or beside every other
// shipped strategy: neither order numbers nor anything else leak between
// strategies.
func TestStrategyReportIndependentOfNeighbours(t *testing.T) {
	all := runShipped(t, "../../scripts")
	if len(all.Strategies) < 2 {
		t.Fatalf("%d strategies in scripts/, want several", len(all.Strategies))
	}
	for _, s := range all.Strategies {
		t.Run(s.Name, func(t *testing.T) {
			alone := runShipped(t, filepath.Join("../../scripts", filepath.Base(s.File)))
			if len(alone.Strategies) != 1 {
				t.Fatalf("%d strategies alone", len(alone.Strategies))
			}
			if len(s.Fills) == 0 || s.Fills[0].OrderID != 1 {
				t.Errorf("fills %v: want trades numbered from the strategy's own first order", s.Fills)
			}
			got, want := reportJSON(t, s), reportJSON(t, alone.Strategies[0])
			if !bytes.Equal(got, want) {
				t.Errorf("report beside the others differs from the report alone:\n%s\nalone:\n%s", got, want)
			}
		})
	}
}

func reportJSON(t *testing.T, s StrategyReport) []byte {
	t.Helper()
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from this run's output (go test -update rewrites it after a deliberate change)", path)
	}
}

func TestSyntaxErrorNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.lua")
	if err := os.WriteFile(bad, []byte("local s = {}\ns.name = 'x'\nlocal x = = 1\nreturn s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := load.Strategies([]string{bad})
	if err == nil {
		t.Fatal("a syntax error compiled")
	}
	if want := bad + ":3"; !bytes.Contains([]byte(err.Error()), []byte(want)) {
		t.Fatalf("error %q does not name %s", err, want)
	}
}

// A strategy that fails, in any hook and in any way, is marked in the
// report with its error, and the strategy beside it gets the very report it
// gets alone.
func TestFailingStrategyCostsTheOthersNothing(t *testing.T) {
	const head = "local s = { name = 'bad', symbols = { '005930' }, timeframe = '1d' }\n"
	for _, tc := range []struct {
		name, src  string
		cause      string
		hook       string
		line       int
		wantStatus string
	}{
		{"on_stop loops", head + "function s.on_stop(ctx)\n  while true do end\nend\nreturn s\n",
			"timeout", "on_stop", 3, "failed: "},
		{"on_stop errors", head + "function s.on_stop(ctx)\n  error('no state for you')\nend\nreturn s\n",
			"runtime", "on_stop", 3, "failed: "},
		{"on_start errors", head + "function s.on_start(ctx)\n  error('cannot start')\nend\nreturn s\n",
			"runtime", "on_start", 3, "failed: "},
		{"paused by failures", head + "function s.on_bar(ctx, bar)\n  error('every bar')\nend\nreturn s\n",
			"runtime", "on_bar", 3, "paused: "},
		{"over its memory", head + "function s.on_bar(ctx, bar)\n  local x = 'x'\n  while true do x = x .. x end\nend\nreturn s\n",
			"memory", "on_bar", 0, "paused: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.lua")
			if err := os.WriteFile(bad, []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			both := runFailing(t, "../../scripts/ma_cross.lua", bad)
			alone := runFailing(t, "../../scripts/ma_cross.lua")
			if len(both.Strategies) != 2 {
				t.Fatalf("%d strategies in the report, want 2", len(both.Strategies))
			}
			good, failed := both.Strategies[1], both.Strategies[0] // by name: bad, ma_cross
			if got, want := reportJSON(t, good), reportJSON(t, alone.Strategies[0]); !bytes.Equal(got, want) {
				t.Errorf("ma_cross beside a failing strategy:\n%s\nalone:\n%s", got, want)
			}
			if names := both.Failed(); len(names) != 1 || names[0] != "bad" {
				t.Errorf("Failed() = %v, want [bad]", names)
			}
			e := failed.Error
			if e == nil {
				t.Fatalf("bad has no error; status %q", failed.Status)
			}
			if e.Cause != tc.cause || e.Hook != tc.hook || e.File != bad || (tc.line != 0 && e.Line != tc.line) {
				t.Errorf("error %+v, want cause %s in %s at %s:%d", e, tc.cause, tc.hook, bad, tc.line)
			}
			if !strings.HasPrefix(failed.Status, tc.wantStatus) || !strings.Contains(failed.Status, bad) {
				t.Errorf("status %q, want %q… naming %s", failed.Status, tc.wantStatus, bad)
			}
		})
	}
}

// runFailing replays the 005930 daily bars with limits small enough to
// catch a runaway hook quickly.
func runFailing(t *testing.T, strategies ...string) *Report {
	t.Helper()
	srcs, err := load.Strategies(strategies)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), Config{
		Data: dailyFiles[:1], Strategies: srcs, Log: zerolog.Nop(),
		// A budget well above what doubling a string to 16 MiB takes, even
		// under -race on a busy machine, so the memory case trips its
		// memory limit and not its time.
		Script: script.Options{Budget: time.Second, MaxFailures: 3, Memory: 16 << 20},
	})
	if err != nil {
		t.Fatalf("replay of %v: %v", strategies, err)
	}
	return rep
}
