package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
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
// won: cash is what it started with less what buys cost and plus what sells
// brought, and equity is that cash plus the holdings at the last price.
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
			cash := s.StartCash
			var fees, taxes int64
			for _, f := range s.Fills {
				switch f.Side {
				case "BUY":
					cash -= f.Qty * f.Price
				case "SELL":
					cash += f.Qty * f.Price
				default:
					t.Fatalf("fill side %q", f.Side)
				}
				cash -= f.Fee + f.Tax
				fees += f.Fee
				taxes += f.Tax
			}
			if cash != s.FinalCash {
				t.Errorf("final_cash = %d, fills say %d", s.FinalCash, cash)
			}
			if fees != s.Stats.Fees || taxes != s.Stats.Taxes {
				t.Errorf("fees, taxes = %d, %d; fills say %d, %d", s.Stats.Fees, s.Stats.Taxes, fees, taxes)
			}
			equity := s.FinalCash
			for _, p := range s.Positions {
				equity += p.Qty * p.LastPrice
			}
			if equity != s.FinalEquity {
				t.Errorf("final_equity = %d, cash + positions = %d", s.FinalEquity, equity)
			}
			if last := s.Equity[len(s.Equity)-1].Equity; last != s.FinalEquity {
				t.Errorf("last equity point %d, final_equity %d", last, s.FinalEquity)
			}
		})
	}
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
