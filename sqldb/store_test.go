package sqldb_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

var (
	ctx0  = context.Background()
	day0  = time.Date(2026, 3, 3, 9, 0, 0, 0, market.Seoul)
	syms3 = []market.Symbol{"000660", "005930", "035420"} // sorted, as the store orders them
)

// makeTicks returns n ticks spread over syms3, microsecond times (the stored
// precision), several prints sharing a timestamp told apart by seq.
func makeTicks(n int, seqBase int64) []market.Tick {
	out := make([]market.Tick, n)
	for i := range out {
		out[i] = market.Tick{
			Time:   day0.Add(time.Duration(i/3) * 1500 * time.Microsecond),
			Symbol: syms3[i%3],
			Price:  70000 + int64(i%50)*100,
			Volume: int64(1 + i%17),
			Bid:    69900,
			Ask:    70100 + int64(i%50)*100,
			Seq:    seqBase + int64(i),
		}
	}
	return out
}

func collectTicks(t *testing.T, st sqldb.Store, syms []market.Symbol, from, to time.Time) []market.Tick {
	t.Helper()
	var out []market.Tick
	for tk, err := range st.Ticks(ctx0, syms, from, to) {
		if err != nil {
			t.Fatalf("read ticks: %v", err)
		}
		out = append(out, tk)
	}
	return out
}

func sameTicks(t *testing.T, got, want []market.Tick) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d ticks, want %d", len(got), len(want))
	}
	for i := range got {
		if !got[i].Time.Equal(want[i].Time) || got[i].Time.Location() != market.Seoul {
			t.Fatalf("tick %d time %v, want %v in KST", i, got[i].Time, want[i].Time)
		}
		g, w := got[i], want[i]
		g.Time, w.Time = time.Time{}, time.Time{}
		if g != w {
			t.Fatalf("tick %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestTicksRoundTripAndReingest(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		st := open(t, target, sqldb.Options{})
		ticks := makeTicks(3000, 1)
		if err := st.WriteTicks(ctx0, ticks[:2000]); err != nil {
			t.Fatal(err)
		}
		// Reconnect: the feed sends an overlapping window again.
		if err := st.WriteTicks(ctx0, ticks[1000:]); err != nil {
			t.Fatal(err)
		}
		if err := st.WriteTicks(ctx0, ticks); err != nil {
			t.Fatal(err)
		}
		if n := queryInt(t, st, `SELECT count(*) FROM ticks`); n != 3000 {
			t.Fatalf("ticks table has %d rows, want 3000", n)
		}
		all := collectTicks(t, st, nil, day0, day0.Add(time.Hour))
		sameTicks(t, all, ticks) // makeTicks is already in the store's (time, symbol, seq) order
		one := collectTicks(t, st, []market.Symbol{"000660"}, day0.Add(time.Second), day0.Add(2*time.Second))
		var want []market.Tick
		for _, tk := range ticks {
			if tk.Symbol == "000660" && !tk.Time.Before(day0.Add(time.Second)) && tk.Time.Before(day0.Add(2*time.Second)) {
				want = append(want, tk)
			}
		}
		sameTicks(t, one, want)
	})
}

func TestBarsRoundTripAndReingest(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		st := open(t, target, sqldb.Options{})
		var bars []market.Bar
		for i := range 30 {
			for _, s := range syms3 {
				bars = append(bars, market.Bar{Symbol: s, Timeframe: market.Min1, Start: day0.Add(time.Duration(i) * time.Minute),
					Open: 100, High: 120 + int64(i), Low: 90, Close: 110, Volume: int64(1000 + i)})
			}
		}
		daily := market.Bar{Symbol: "005930", Timeframe: market.Day1, Start: market.Day1.Start(day0), Open: 1, High: 2, Low: 1, Close: 2, Volume: 3}
		for range 2 {
			if err := st.WriteBars(ctx0, append(bars, daily)); err != nil {
				t.Fatal(err)
			}
		}
		var got []market.Bar
		for b, err := range st.Bars(ctx0, nil, market.Min1, day0, day0.Add(time.Hour)) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, b)
		}
		if len(got) != len(bars) {
			t.Fatalf("got %d 1m bars, want %d", len(got), len(bars))
		}
		for i := range got {
			if !got[i].Start.Equal(bars[i].Start) || got[i].Start.Location() != market.Seoul {
				t.Fatalf("bar %d start %v, want %v", i, got[i].Start, bars[i].Start)
			}
			got[i].Start = bars[i].Start
			if got[i] != bars[i] {
				t.Fatalf("bar %d = %+v, want %+v", i, got[i], bars[i])
			}
		}
		for b, err := range st.Bars(ctx0, []market.Symbol{"005930"}, market.Day1, day0.AddDate(0, 0, -1), day0.AddDate(0, 0, 1)) {
			if err != nil || b.Volume != 3 || b.Timeframe != market.Day1 {
				t.Fatalf("daily bar = %+v, %v", b, err)
			}
		}
	})
}

func TestIteratorStopsEarly(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		st := open(t, target, sqldb.Options{})
		if err := st.WriteTicks(ctx0, makeTicks(100, 1)); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, err := range st.Ticks(ctx0, nil, day0, day0.Add(time.Hour)) {
			if err != nil {
				t.Fatal(err)
			}
			if n++; n == 5 {
				break
			}
		}
		// The connection went back to the pool: the store still answers.
		if got := len(collectTicks(t, st, nil, day0, day0.Add(time.Hour))); got != 100 {
			t.Fatalf("after an early break: %d ticks, want 100", got)
		}
	})
}

// newOrder makes order id; its life in sessions varies with id, so the
// tests see day and GTC orders stored and restored.
func newOrder(id int64) market.Order {
	return market.Order{ID: id, Seq: 10 + id, Strategy: "ma_cross", Symbol: "005930", Side: market.Buy, Type: market.LimitOrder,
		Qty: 10, Price: 70000, Created: day0.Add(time.Duration(id) * time.Second), Status: market.OrderNew,
		Sessions: 1 + int(id%3)}
}

func TestOrdersLifeCycle(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		st := open(t, target, sqldb.Options{})
		for id := int64(1); id <= 3; id++ {
			if err := st.SaveOrder(ctx0, newOrder(id)); err != nil {
				t.Fatal(err)
			}
		}
		o1, o2 := newOrder(1), newOrder(2)
		mustDo(t, o1.Accept(day0.Add(time.Minute)))
		mustDo(t, o1.ApplyFill(day0.Add(2*time.Minute), 4))
		mustDo(t, o2.Accept(day0.Add(time.Minute)))
		mustDo(t, o2.ApplyFill(day0.Add(2*time.Minute), 10))
		for _, o := range []market.Order{o1, o2} {
			if err := st.SaveOrder(ctx0, o); err != nil {
				t.Fatal(err)
			}
		}
		open, err := st.OpenOrders(ctx0)
		if err != nil {
			t.Fatal(err)
		}
		want := []market.Order{o1, newOrder(3)} // order 2 is filled: final
		if len(open) != len(want) {
			t.Fatalf("open orders = %+v, want %+v", open, want)
		}
		for i := range open {
			sameOrder(t, open[i], want[i])
		}
		if id, err := st.MaxOrderID(ctx0); err != nil || id != 3 {
			t.Fatalf("MaxOrderID = %d, %v; want 3", id, err)
		}
		other := newOrder(4)
		other.Strategy, other.Seq = "rsi", 1
		mustDo(t, st.SaveOrder(ctx0, other))
		if seqs, err := st.MaxOrderSeqs(ctx0); err != nil || len(seqs) != 2 || seqs["ma_cross"] != 13 || seqs["rsi"] != 1 {
			t.Fatalf("MaxOrderSeqs = %v, %v; want ma_cross 13, rsi 1", seqs, err)
		}
	})
}

func sameOrder(t *testing.T, got, want market.Order) {
	t.Helper()
	if !got.Created.Equal(want.Created) || !got.Updated.Equal(want.Updated) {
		t.Fatalf("order %d times %v/%v, want %v/%v", got.ID, got.Created, got.Updated, want.Created, want.Updated)
	}
	got.Created, got.Updated, want.Created, want.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if got != want {
		t.Fatalf("order = %+v, want %+v", got, want)
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestBadInputNamesTheField(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		st := open(t, target, sqldb.Options{})
		bad := newOrder(1)
		bad.Qty = 0
		err := st.SaveOrder(ctx0, bad)
		var fe *market.FieldError
		if !errors.As(err, &fe) || fe.Field != "qty" {
			t.Errorf("SaveOrder(qty 0) = %v, want a FieldError on qty", err)
		}
		noStatus := newOrder(2)
		noStatus.Status = 0
		if err := st.SaveOrder(ctx0, noStatus); err == nil || !strings.Contains(err.Error(), "status") {
			t.Errorf("SaveOrder(no status) = %v, want an error about status", err)
		}
		fill := market.Fill{OrderID: 1, Symbol: "005930", Side: market.Sell, Qty: 1, Price: -5, Time: day0}
		if err := st.SaveFill(ctx0, fill); !errors.As(err, &fe) || fe.Field != "price" {
			t.Errorf("SaveFill(price -5) = %v, want a FieldError on price", err)
		}
		ticks := makeTicks(10, 1)
		ticks[7].Symbol = "5930"
		if err := st.WriteTicks(ctx0, ticks); !errors.As(err, &fe) || fe.Field != "symbol" || !strings.Contains(err.Error(), "tick 7") {
			t.Errorf("WriteTicks(bad symbol) = %v, want a FieldError on symbol naming tick 7", err)
		}
		if n := queryInt(t, st, `SELECT count(*) FROM ticks`); n != 0 {
			t.Errorf("a refused batch stored %d ticks", n)
		}
		if err := st.SaveStrategyState(ctx0, "s", []byte(`{"a":`)); err == nil || !strings.Contains(err.Error(), "JSON") {
			t.Errorf("SaveStrategyState(bad JSON) = %v, want an error about JSON", err)
		}
		if err := st.SavePosition(ctx0, "", market.Position{Symbol: "005930"}); err == nil || !strings.Contains(err.Error(), "account") {
			t.Errorf("SavePosition(no account) = %v, want an error about the account", err)
		}
	})
}

func TestFillsAreStoredOnce(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		st := open(t, target, sqldb.Options{})
		fills := []market.Fill{
			{OrderID: 1, Strategy: "a", Symbol: "005930", Side: market.Buy, Qty: 4, Price: 70000, Fee: 10, Time: day0},
			{OrderID: 1, Strategy: "a", Symbol: "005930", Side: market.Buy, Qty: 6, Price: 70100, Fee: 14, Time: day0.Add(time.Second)},
			{OrderID: 2, Strategy: "b", Symbol: "000660", Side: market.Sell, Qty: 3, Price: 150000, Fee: 20, Tax: 900, Time: day0.Add(2 * time.Second)},
		}
		for range 2 { // a broker retry resends every fill
			for _, f := range fills {
				mustDo(t, st.SaveFill(ctx0, f))
			}
		}
		type bulk interface {
			WriteFills(context.Context, []market.Fill) error
		}
		mustDo(t, st.(bulk).WriteFills(ctx0, fills)) // the bulk path skips them too
		got, err := st.Fills(ctx0, "", day0, day0.Add(time.Hour))
		mustDo(t, err)
		if len(got) != len(fills) {
			t.Fatalf("got %d fills, want %d", len(got), len(fills))
		}
		for i := range got {
			if !got[i].Time.Equal(fills[i].Time) {
				t.Fatalf("fill %d time %v, want %v", i, got[i].Time, fills[i].Time)
			}
			got[i].Time = fills[i].Time
			if got[i] != fills[i] {
				t.Fatalf("fill %d = %+v, want %+v", i, got[i], fills[i])
			}
		}
		onlyB, err := st.Fills(ctx0, "b", day0, day0.Add(time.Hour))
		mustDo(t, err)
		if len(onlyB) != 1 || onlyB[0].OrderID != 2 {
			t.Fatalf("fills of b = %+v", onlyB)
		}
	})
}

func TestPositionsAndState(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		st := open(t, target, sqldb.Options{})
		mustDo(t, st.SavePosition(ctx0, "rsi", market.Position{Symbol: "005930", Qty: 10, Cost: 700000}))
		mustDo(t, st.SavePosition(ctx0, "rsi", market.Position{Symbol: "005930", Qty: 4, Cost: 280000, Realized: 6000}))
		mustDo(t, st.SavePosition(ctx0, "rsi", market.Position{Symbol: "000660", Qty: 1, Cost: 150000}))
		mustDo(t, st.SavePosition(ctx0, "ma", market.Position{Symbol: "035420", Qty: 2, Cost: 400000}))
		got, err := st.Positions(ctx0, "rsi")
		mustDo(t, err)
		want := []market.Position{{Symbol: "000660", Qty: 1, Cost: 150000}, {Symbol: "005930", Qty: 4, Cost: 280000, Realized: 6000}}
		if !slices.Equal(got, want) {
			t.Fatalf("positions = %+v, want %+v", got, want)
		}
		accts, err := st.Accounts(ctx0)
		mustDo(t, err)
		if !slices.Equal(accts, []string{"ma", "rsi"}) {
			t.Fatalf("accounts = %v", accts)
		}

		if _, ok, err := st.LoadStrategyState(ctx0, "rsi"); ok || err != nil {
			t.Fatalf("state before any save: ok=%v err=%v", ok, err)
		}
		state := []byte(`{"z": 1, "a": [1, 2.5, "x"], "nested": {"b": null}}`) // key order and spacing kept
		mustDo(t, st.SaveStrategyState(ctx0, "rsi", []byte(`{"old":true}`)))
		mustDo(t, st.SaveStrategyState(ctx0, "rsi", state))
		got2, ok, err := st.LoadStrategyState(ctx0, "rsi")
		if err != nil || !ok || string(got2) != string(state) {
			t.Fatalf("state = %q, %v, %v; want %q", got2, ok, err, state)
		}
	})
}

func TestReportingTables(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		st := open(t, target, sqldb.Options{})
		ev := sqldb.Event{Time: day0, Component: "engine", Level: "warn", Message: "paused", Details: json.RawMessage(`{"strategy":"rsi"}`)}
		mustDo(t, st.LogEvent(ctx0, ev))
		mustDo(t, st.LogEvents(ctx0, []sqldb.Event{{Time: day0, Component: "feed", Level: "info", Message: "up"}}))
		// Text PostgreSQL would refuse is cleaned, not allowed to fail the batch.
		mustDo(t, st.LogEvents(ctx0, []sqldb.Event{
			{Time: day0, Component: "feed\x00", Level: "error", Message: "bad \xff utf-8", Details: json.RawMessage(`{"a":`)},
			{Time: day0, Component: "feed", Level: "error", Message: "nul", Details: json.RawMessage(`{"a":"\u0000"}`)},
		}))
		p := sqldb.Performance{Strategy: "rsi", Day: day0, Return: 0.01, WinRate: 0.5, Sharpe: 1.2, MaxDrawdown: 0.03}
		mustDo(t, st.SavePerformance(ctx0, p))
		p.Return = 0.02
		mustDo(t, st.SavePerformance(ctx0, p)) // same day: replaced
		mustDo(t, st.SaveStock(ctx0, sqldb.Stock{Code: "005930", Name: "삼성전자", Market: "KOSPI", Sector: "전기전자", ListedShares: 5969782550}))
		mustDo(t, st.SaveRisk(ctx0, sqldb.RiskPoint{Time: day0, PortfolioValue: 10_000_000, VaR95: 150000, MaxDrawdown: 0.04}))
		checks := []struct {
			query string
			want  int64
		}{
			{`SELECT count(*) FROM system_logs`, 4},
			{`SELECT count(*) FROM system_logs WHERE details IS NULL`, 1},
			{`SELECT count(*) FROM strategy_performance`, 1},
			{`SELECT CAST(daily_return * 1000 AS INTEGER) FROM strategy_performance`, 20},
			{`SELECT listed_shares FROM stock_metadata WHERE code = '005930'`, 5969782550},
			{`SELECT portfolio_value FROM risk_metrics`, 10_000_000},
		}
		for _, c := range checks {
			if got := queryInt(t, st, c.query); got != c.want {
				t.Errorf("%s = %d, want %d", c.query, got, c.want)
			}
		}
	})
}

func TestPruneKeepsRecentData(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		st := open(t, target, sqldb.Options{Retention: sqldb.Retention{Ticks: 24 * time.Hour}})
		old := makeTicks(30, 1)
		recent := makeTicks(30, 1000)
		for i := range recent {
			recent[i].Time = recent[i].Time.AddDate(0, 0, 10)
		}
		mustDo(t, st.WriteTicks(ctx0, append(old, recent...)))
		n, err := st.Prune(ctx0, day0.AddDate(0, 0, 10))
		mustDo(t, err)
		if st.Mode() == sqldb.ModeTimescale {
			return // the retention policy does this job
		}
		if n != 30 {
			t.Fatalf("Prune removed %d rows, want 30", n)
		}
		if left := queryInt(t, st, `SELECT count(*) FROM ticks`); left != 30 {
			t.Fatalf("%d ticks left, want 30", left)
		}
	})
}

// A host that stops and starts again finds its orders, positions and state.
func TestRestartRestoresState(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		st := open(t, target, sqldb.Options{})
		o := newOrder(7)
		mustDo(t, o.Accept(day0.Add(time.Second)))
		mustDo(t, st.SaveOrder(ctx0, o))
		pos := market.Position{Symbol: "005930", Qty: 3, Cost: 210000, Realized: -500}
		mustDo(t, st.SavePosition(ctx0, "ma_cross", pos))
		mustDo(t, st.SaveStrategyState(ctx0, "ma_cross", []byte(`{"warm":true}`)))
		st.Close()

		st2 := open(t, target, sqldb.Options{})
		orders, err := st2.OpenOrders(ctx0)
		mustDo(t, err)
		if len(orders) != 1 {
			t.Fatalf("open orders after restart = %+v", orders)
		}
		sameOrder(t, orders[0], o)
		ps, err := st2.Positions(ctx0, "ma_cross")
		mustDo(t, err)
		if len(ps) != 1 || ps[0] != pos {
			t.Fatalf("positions after restart = %+v, want %+v", ps, pos)
		}
		state, ok, err := st2.LoadStrategyState(ctx0, "ma_cross")
		if err != nil || !ok || string(state) != `{"warm":true}` {
			t.Fatalf("state after restart = %q, %v, %v", state, ok, err)
		}
	})
}

func TestMode(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		st := open(t, target, sqldb.Options{})
		switch st.(type) {
		case *sqldb.SQLite:
			if st.Mode() != sqldb.ModeSQLite {
				t.Errorf("mode = %s", st.Mode())
			}
		case *sqldb.Postgres:
			if m := st.Mode(); m != sqldb.ModePostgres && m != sqldb.ModeTimescale {
				t.Errorf("mode = %s", m)
			}
		}
		st2 := open(t, target, sqldb.Options{NoTimescale: true})
		if _, ok := st2.(*sqldb.Postgres); ok && st2.Mode() != sqldb.ModePostgres {
			t.Errorf("NoTimescale: mode = %s", st2.Mode())
		}
	})
}
