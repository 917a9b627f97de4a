package tape

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

func TestReadTicks(t *testing.T) {
	const in = "\ufeffSeq, Time ,CODE,Price,Volume,Bid,Ask,note\n" +
		"7,2024-03-04T09:00:00.125+09:00,005930,72100,15,72000,72100,first\n" +
		"8,20240304090001,005930,\"72,000\",3,,,\n" +
		"\n" +
		",2024-03-04T00:00:02Z,000660,180500.0,1e2,180400,180500,x\n"
	got, err := ReadTicks(strings.NewReader(in), "ticks.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []market.Tick{
		{Time: time.Date(2024, 3, 4, 9, 0, 0, 125e6, market.Seoul), Symbol: "005930", Price: 72100, Volume: 15, Bid: 72000, Ask: 72100, Seq: 7},
		{Time: time.Date(2024, 3, 4, 9, 0, 1, 0, market.Seoul), Symbol: "005930", Price: 72000, Volume: 3, Seq: 8},
		{Time: time.Date(2024, 3, 4, 9, 0, 2, 0, market.Seoul), Symbol: "000660", Price: 180500, Volume: 100, Bid: 180400, Ask: 180500},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d ticks, want %d: %+v", len(got), len(want), got)
	}
	for i := range got {
		if got[i].Time.Location() != market.Seoul {
			t.Errorf("tick %d: time %v is not in KST", i, got[i].Time)
		}
		if !got[i].Time.Equal(want[i].Time) || !sameTickFields(got[i], want[i]) {
			t.Errorf("tick %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func sameTickFields(a, b market.Tick) bool {
	a.Time, b.Time = time.Time{}, time.Time{}
	return a == b
}

// TestReadBarsIntraday: 1m bars stamped with their start, symbol column,
// extra columns ignored, header names in any case.
func TestReadBarsIntraday(t *testing.T) {
	const in = "DateTime,Symbol,Open,High,Low,Close,Volume,Amount\n" +
		"20240304090000,005930,72000,72300,71900,72100,1200,86520000\n" +
		"20240304090000,000660,180000,180500,179500,180500,300,0\n" +
		"2024-03-04T00:01:00Z,005930,72100,72100,72000,72000,800,0\n"
	got, err := ReadBars(strings.NewReader(in), "m1.csv", Options{Timeframe: market.Min1, Symbol: "035420"})
	if err != nil {
		t.Fatal(err)
	}
	m1 := func(sym market.Symbol, mm int, o, h, l, c, v int64) market.Bar {
		return market.Bar{Symbol: sym, Timeframe: market.Min1, Start: time.Date(2024, 3, 4, 9, mm, 0, 0, market.Seoul),
			Open: o, High: h, Low: l, Close: c, Volume: v}
	}
	want := []market.Bar{
		m1("005930", 0, 72000, 72300, 71900, 72100, 1200),
		m1("000660", 0, 180000, 180500, 179500, 180500, 300),
		m1("005930", 1, 72100, 72100, 72000, 72000, 800),
	}
	if len(got) != len(want) {
		t.Fatalf("got %d bars, want %d", len(got), len(want))
	}
	for i := range got {
		sameBar(t, "bar", got[i], want[i])
	}
}

func TestKind(t *testing.T) {
	tests := []struct {
		header string
		want   Kind
		symbol bool // HasSymbol
	}{
		{"time,symbol,price,volume", Ticks, true},
		{"time,price,volume", Ticks, false},
		{"date,open,high,low,close,volume", Bars, false},
		{"date,code,open,high,low,close,volume", Bars, true},
		{"20240304,1,1,1,1,0", Bars, false},
	}
	for _, tc := range tests {
		r, err := NewReader(strings.NewReader(tc.header+"\n"), "k.csv", Options{Symbol: "005930"})
		if err != nil {
			t.Fatalf("%s: %v", tc.header, err)
		}
		if r.Kind() != tc.want {
			t.Errorf("%s: kind %v, want %v", tc.header, r.Kind(), tc.want)
		}
		if r.HasSymbol() != tc.symbol {
			t.Errorf("%s: HasSymbol %v, want %v", tc.header, r.HasSymbol(), tc.symbol)
		}
	}
}

// TestErrors: each bad input gives one error naming file, line and column.
func TestErrors(t *testing.T) {
	const bars = "date,open,high,low,close,volume\n"
	const ticks = "time,symbol,price,volume,bid,ask,seq\n"
	tests := []struct {
		name, in string
		opt      Options
		ticks    bool
		err      string
	}{
		{"empty", "", Options{Symbol: "005930"}, false, "f.csv: empty file: no header and no records"},
		{"fractional price", bars + "20160104,25200.0,25200.0,24100.0,24100.0,1\n20160105,25200.5,25300,25100,25200,1\n",
			Options{Symbol: "005930"}, false, `f.csv:3: column open: "25200.5" is not a whole number`},
		{"bad date", bars + "20160231,1,1,1,1,1\n", Options{Symbol: "005930"}, false,
			`f.csv:2: column date: "20160231" is not a valid date and time`},
		{"empty cell", bars + "20160104,1,,1,1,1\n", Options{Symbol: "005930"}, false, "f.csv:2: column high: empty"},
		{"short row", bars + "20160104,1,1,1\n", Options{Symbol: "005930"}, false, "f.csv:2: 4 fields, want at least 6"},
		{"high below close", bars + "20160104,100,101,99,102,1\n", Options{Symbol: "005930"}, false,
			"f.csv:2: column high: 101 below open, close or low"},
		{"zero price", bars + "20160104,0,1,1,1,1\n", Options{Symbol: "005930"}, false,
			"f.csv:2: column open: 0 is not positive"},
		{"negative volume", bars + "20160104,1,1,1,1,-5\n", Options{Symbol: "005930"}, false,
			"f.csv:2: column volume: -5 is negative"},
		// A negative or zero print never reaches a replay: the row is
		// rejected with file, line and column.
		{"negative tick price", ticks + "20240304090000,005930,72100,1,,,\n20240304090001,005930,-100,1,,,\n", Options{}, true,
			"f.csv:3: column price: -100 is not positive"},
		{"zero tick price", ticks + "20240304090000,005930,0,1,,,\n", Options{}, true,
			"f.csv:2: column price: 0 is not positive"},
		{"negative tick price as float", "Time,Symbol,Price,Volume\n20240304090000,005930,-100.0,1\n", Options{}, true,
			"f.csv:2: column Price: -100 is not positive"},
		{"negative bar low", bars + "20160104,100,101,-100,100,1\n", Options{Symbol: "005930"}, false,
			"f.csv:2: column low: -100 is not positive"},
		// One day, two bars: the second would double the day's volume and
		// give a strategy two closes for one date.
		{"same date twice", bars + "20160104,100,101,99,100,1\n20160105,100,101,99,100,1\n20160105,100,102,99,101,1\n", Options{Symbol: "005930"}, false,
			"f.csv:4: column date: 005930 bar 2016-01-05T00:00:00+09:00 is not after the previous one, 2016-01-05T00:00:00+09:00"},
		{"same date twice, written two ways", bars + "20160105,100,101,99,100,1\n2016-01-05,100,101,99,100,1\n", Options{Symbol: "005930"}, false,
			"f.csv:3: column date: 005930 bar 2016-01-05T00:00:00+09:00 is not after the previous one, 2016-01-05T00:00:00+09:00"},
		{"same minute twice", "time,symbol,open,high,low,close,volume\n20240304090000,005930,1,1,1,1,1\n20240304090000,000660,1,1,1,1,1\n20240304090000,005930,1,1,1,1,1\n",
			Options{Timeframe: market.Min1}, false,
			"f.csv:4: column time: 005930 bar 2024-03-04T09:00:00+09:00 is not after the previous one, 2024-03-04T09:00:00+09:00"},
		{"bars out of order", bars + "20160105,1,1,1,1,1\n20160104,1,1,1,1,1\n", Options{Symbol: "005930"}, false,
			"f.csv:3: column date: 005930 bar 2016-01-04T00:00:00+09:00 is not after the previous one, 2016-01-05T00:00:00+09:00"},
		{"unaligned bar", "Time,open,high,low,close,volume\n20160104090030,1,1,1,1,1\n", Options{Symbol: "005930", Timeframe: market.Min1}, false,
			"f.csv:2: column Time: 2016-01-04T09:00:30+09:00 is not the start of a 1m bar (that is 2016-01-04T09:00:00+09:00)"},
		{"no symbol", bars, Options{}, false, "f.csv:1: no symbol column and no symbol given (Options.Symbol)"},
		{"bad symbol", ticks + "20240304090000,5930,100,1,,,\n", Options{}, true,
			`f.csv:2: column symbol: symbol "5930": want 6 characters, have 4`},
		{"bid above ask", ticks + "20240304090000,005930,100,1,101,100,\n", Options{}, true,
			"f.csv:2: column bid: 101 above ask 100"},
		{"bad seq", ticks + "20240304090000,005930,100,1,,,x\n", Options{}, true, `f.csv:2: column seq: "x" is not a number`},
		{"both kinds", "time,price,open,high,low,close,volume\n", Options{Symbol: "005930"}, false,
			"f.csv:1: header: has both price and open/high/low/close: cannot tell ticks from bars"},
		{"neither kind", "a,b,c\n", Options{Symbol: "005930"}, false,
			"f.csv:1: header: no price column (ticks) and no open, high, low, close columns (bars)"},
		{"bars without volume", "date,open,high,low,close\n", Options{Symbol: "005930"}, false,
			"f.csv:1: header: no volume column, which bars need"},
		{"same column twice", "date,Time,price,volume\n", Options{Symbol: "005930"}, false,
			`f.csv:1: header: columns "date" and "Time" are the same column`},
		{"bare quote", ticks + "20240304090000,005930,1\"00,1,,,\n", Options{}, true,
			"f.csv:2: byte 24: bare \" in non-quoted-field"},
		{"ticks read as bars", ticks, Options{}, false, "f.csv: holds ticks, not bars"},
		{"bars read as ticks", bars, Options{Symbol: "005930"}, true, "f.csv: holds bars, not ticks"},
		{"headerless bad number", "\ufeff1996-12-26,\"182,299\",\"182,299\",\"18,2299\",\"182,299\",0\n", Options{Symbol: "000660"}, false,
			`f.csv:1: column low: "18,2299" is not a number`},
		{"bad timeframe", bars, Options{Symbol: "005930", Timeframe: market.Timeframe(2 * time.Minute)}, false,
			"f.csv: timeframe 2m0s is not supported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.ticks {
				_, err = ReadTicks(strings.NewReader(tc.in), "f.csv", tc.opt)
			} else {
				_, err = ReadBars(strings.NewReader(tc.in), "f.csv", tc.opt)
			}
			if err == nil || err.Error() != tc.err {
				t.Fatalf("error %v\nwant        %s", err, tc.err)
			}
			var te *Error
			if !errors.As(err, &te) {
				t.Errorf("error is %T, want *Error", err)
			}
		})
	}
}

// TestErrorIsSticky: after a bad row the Reader does not resume.
func TestErrorIsSticky(t *testing.T) {
	in := "date,open,high,low,close,volume\n20160104,x,1,1,1,1\n20160105,1,1,1,1,1\n"
	r, err := NewReader(strings.NewReader(in), "f.csv", Options{Symbol: "005930"})
	if err != nil {
		t.Fatal(err)
	}
	var b market.Bar
	first := r.NextBar(&b)
	if first == nil {
		t.Fatal("bad row read without error")
	}
	if again := r.NextBar(&b); again != first || errors.Is(again, io.EOF) {
		t.Errorf("second call: %v, want the first error again", again)
	}
}
