package tape

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, market.Seoul) }

func dayBar(sym market.Symbol, start time.Time, o, h, l, c, v int64) market.Bar {
	return market.Bar{Symbol: sym, Timeframe: market.Day1, Start: start, Open: o, High: h, Low: l, Close: c, Volume: v}
}

func readFile(t *testing.T, path string) []market.Bar {
	t.Helper()
	sym, err := SymbolFromPath(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bars, err := ReadBars(f, path, Options{Symbol: sym})
	if err != nil {
		t.Fatalf("ReadBars: %v", err)
	}
	return bars
}

func sameBar(t *testing.T, what string, got, want market.Bar) {
	t.Helper()
	if !got.Start.Equal(want.Start) || got.Start.Location() != market.Seoul {
		t.Errorf("%s: start %v, want %v in KST", what, got.Start, want.Start)
	}
	got.Start, want.Start = time.Time{}, time.Time{}
	if got != want {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// TestReadKRXFiles reads the real files as they are; the expected rows
// are copied by hand from the files' text.
func TestReadKRXFiles(t *testing.T) {
	dir := "../../testdata/krx"
	tests := []struct {
		path        string
		rows        int
		first, last market.Bar
		at          int // index of a third row to check
		row         market.Bar
		zeroVolume  int
	}{
		{
			path:  "daily/005930.csv",
			rows:  976,
			first: dayBar("005930", day(2016, 1, 4), 25200, 25200, 24100, 24100, 15346950),
			last:  dayBar("005930", day(2019, 12, 30), 56200, 56600, 55700, 55800, 8356767),
			at:    570, // line 572: the first day after the split halt
			row:   dayBar("005930", day(2018, 5, 4), 53000, 53900, 51800, 51900, 39565391),
		},
		{
			path:  "daily/035420.csv",
			rows:  976,
			first: dayBar("035420", day(2016, 1, 4), 130000, 131600, 126400, 126400, 466360),
			last:  dayBar("035420", day(2019, 12, 30), 183500, 190000, 183500, 186500, 376541),
			at:    1,
			row:   dayBar("035420", day(2016, 1, 5), 126600, 128400, 126200, 127400, 347280),
		},
		{
			path:       "daily-raw/000660.csv",
			rows:       5299,
			first:      dayBar("000660", day(1996, 12, 26), 182299, 182299, 182299, 182299, 0),
			last:       dayBar("000660", day(2018, 1, 25), 73400, 76200, 72300, 75800, 8758929),
			at:         2,
			row:        dayBar("000660", day(1997, 1, 3), 182292, 183203, 182292, 182292, 15983),
			zeroVolume: 14,
		},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			bars := readFile(t, filepath.Join(dir, tc.path))
			if len(bars) != tc.rows {
				t.Fatalf("%d bars, want %d", len(bars), tc.rows)
			}
			sameBar(t, "first", bars[0], tc.first)
			sameBar(t, "last", bars[len(bars)-1], tc.last)
			sameBar(t, "row", bars[tc.at], tc.row)
			zero := 0
			for _, b := range bars {
				if b.Volume == 0 {
					zero++
				}
			}
			if zero != tc.zeroVolume {
				t.Errorf("%d zero-volume bars, want %d", zero, tc.zeroVolume)
			}
		})
	}
}

func TestSymbolFromPath(t *testing.T) {
	tests := []struct{ path, want, err string }{
		{"005930.csv", "005930", ""},
		{"data/krx/daily/035420.csv", "035420", ""},
		{"0000J0.ticks.csv", "0000J0", ""},
		{"samsung.csv", "", `symbol from file name "samsung.csv": symbol "samsung": want 6 characters, have 7`},
		{"5930.csv", "", `symbol from file name "5930.csv": symbol "5930": want 6 characters, have 4`},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			got, err := SymbolFromPath(tc.path)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("SymbolFromPath(%q) = %q, %v; want error %q", tc.path, got, err, tc.err)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Fatalf("SymbolFromPath(%q) = %q, %v; want %q", tc.path, got, err, tc.want)
			}
		})
	}
}
