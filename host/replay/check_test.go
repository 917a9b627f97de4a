package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/load"
)

// TestFaultTapeWarnings: prices off the tick grid and a symbol that no
// strategy trades and the listing does not know are replayed, and each is
// warned about once per symbol at the end, with its count.
func TestFaultTapeWarnings(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "ticks.csv")
	csv := "time,symbol,price,volume\n" +
		"20240304090000,005930,73000,10\n" +
		"20240304090001,005930,73050,10\n" + // off the 100-won grid
		"20240304090002,005930,73070,10\n" + // off
		"20240304090003,999990,1000,5\n" + // unknown
		"20240304090004,999990,1000,5\n" +
		"20240304090005,999990,1000,5\n"
	if err := os.WriteFile(data, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	strat := filepath.Join(dir, "quiet.lua")
	src := `local s = { name = "quiet", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t) end
return s`
	if err := os.WriteFile(strat, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	srcs, err := load.Strategies([]string{strat})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	if _, err := Run(context.Background(), Config{Data: []string{data}, Strategies: srcs, Log: zerolog.New(&logs)}); err != nil {
		t.Fatal(err)
	}
	type line struct {
		Level, Message, Symbol string
		OffGrid                int `json:"off_grid"`
		Prices, Ticks          int
	}
	var got []line
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var ln line
		if err := json.Unmarshal([]byte(l), &ln); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if strings.HasPrefix(ln.Message, "data: ") {
			got = append(got, ln)
		}
	}
	if len(got) != 2 {
		t.Fatalf("want 2 data warnings, got %+v\n%s", got, logs.String())
	}
	if g := got[0]; g.Symbol != "005930" || g.OffGrid != 2 || g.Prices != 3 || g.Level != "warn" {
		t.Errorf("off-grid warning: %+v", g)
	}
	if g := got[1]; g.Symbol != "999990" || g.Ticks != 3 || !strings.Contains(g.Message, "no strategy trades") {
		t.Errorf("unknown-symbol warning: %+v", g)
	}
}
