package engine

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
)

// week is five sessions of 12 ticks each, Wednesday 2026-03-04 to Tuesday
// 2026-03-10, the weekend between; the price never goes below 70,000.
func week() []market.Tick {
	var ticks []market.Tick
	for _, d := range []int{4, 5, 6, 9, 10} {
		ticks = append(ticks, session(time.Date(2026, 3, d, 9, 0, 0, 0, market.Seoul), 12, wave)...)
	}
	return ticks
}

// orderAt places req once, at the close of the daily bar of the date
// given (the bar's end is the next midnight, after the session), or in
// the session at the first tick of that date when inSession is set, and
// logs each order update as "status reason @date".
func orderAt(date string, inSession bool, req script.OrderRequest, log *[]string) Spec {
	var h script.Host
	g := goStrat{meta: script.Meta{Name: "life", Symbols: []market.Symbol{sym}, Timeframe: market.Day1}}
	g.start = func(host script.Host) error { h = host; return nil }
	place := func(now time.Time) error {
		if now.In(market.Seoul).Add(-time.Second).Format(time.DateOnly) == date ||
			inSession && now.In(market.Seoul).Format(time.DateOnly) == date {
			if _, err := h.Submit(req); err != nil {
				return err
			}
			date = "done"
		}
		return nil
	}
	if inSession {
		g.tick = func(t *market.Tick) error { return place(t.Time.Add(time.Second)) }
	} else {
		g.bar = func(b *market.Bar) error { return place(b.End()) }
	}
	g.order = func(o *market.Order) error {
		at := o.Updated.In(market.Seoul)
		*log = append(*log, fmt.Sprintf("%s %s@%s", o.Status, o.Reason, at.Format("01-02 15:04")))
		return nil
	}
	g.fill = func(*market.Fill) error { return nil }
	return goSpec(g)
}

// An order's life is counted in sessions the market traded, so an order
// placed after the close or before a weekend works in the next session
// and a GTC order in as many as it asked for.
func TestOrderLifetime(t *testing.T) {
	low := script.OrderRequest{Symbol: sym, Side: market.Buy, Type: market.LimitOrder, Qty: 1, Price: 60_000}
	gtc3 := low
	gtc3.Sessions = 3
	market1 := script.OrderRequest{Symbol: sym, Side: market.Buy, Type: market.MarketOrder, Qty: 1}
	tests := []struct {
		name      string
		date      string
		inSession bool
		req       script.OrderRequest
		want      []string
	}{
		{"in the session: lives to its close", "2026-03-04", true, low,
			[]string{"accepted @03-04 09:00", "cancelled day ended@03-05 00:00"}},
		{"after the close: lives through the next session", "2026-03-04", false, low,
			[]string{"accepted @03-05 00:00", "cancelled day ended@03-06 00:00"}},
		{"Friday after the close: waits out the weekend", "2026-03-06", false, low,
			[]string{"accepted @03-07 00:00", "cancelled day ended@03-10 00:00"}},
		{"GTC for 3 sessions", "2026-03-04", false, gtc3,
			[]string{"accepted @03-05 00:00", "cancelled expired after 3 sessions@03-10 00:00"}},
		{"Friday market order: fills at Monday's open", "2026-03-06", false, market1,
			[]string{"accepted @03-07 00:00", "filled @03-09 09:00"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var log []string
			run(t, Config{Strategies: []Spec{orderAt(tc.date, tc.inSession, tc.req, &log)}}, week())
			if !slices.Equal(log, tc.want) {
				t.Fatalf("order updates %q, want %q", log, tc.want)
			}
		})
	}
}

// A restored order keeps the life it was given: its sessions since it was
// placed are counted from the weekdays in between.
func TestSessionsSince(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, market.Seoul)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	day := func(s string) int64 { return kstDay(at(s + " 12:00").UnixNano()) }
	tests := []struct {
		created, today string
		want           int
	}{
		{"2026-03-04 10:00", "2026-03-04", 0}, // placed today: today's session is counted live
		{"2026-03-04 10:00", "2026-03-05", 1}, // yesterday's session
		{"2026-03-04 15:30", "2026-03-05", 0}, // at the close: its first session is today
		{"2026-03-04 08:00", "2026-03-05", 1}, // before the open: that day's session
		{"2026-03-06 16:00", "2026-03-09", 0}, // Friday after the close, restored Monday
		{"2026-03-07 10:00", "2026-03-09", 0}, // Saturday
		{"2026-03-05 10:00", "2026-03-10", 3}, // Thursday, Friday, Monday
		{"2026-03-04 10:00", "2026-03-04", 0},
	}
	for _, tc := range tests {
		if got := sessionsSince(at(tc.created), day(tc.today)); got != tc.want {
			t.Errorf("sessionsSince(%s, %s) = %d, want %d", tc.created, tc.today, got, tc.want)
		}
	}
	if got := sessionsSince(time.Time{}, day("2026-03-04")); got != 0 {
		t.Errorf("an order placed before the clock started has seen %d sessions, want 0", got)
	}
}
