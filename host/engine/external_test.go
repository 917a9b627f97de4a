package engine

import (
	"slices"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// venue is a broker whose fills arrive later, from outside, as a live
// broker's do: it only records what it was asked.
type venue struct {
	submitted []market.Order
	cancelled []int64
}

func (v *venue) Submit(o market.Order) error { v.submitted = append(v.submitted, o); return nil }
func (v *venue) Cancel(id int64) error       { v.cancelled = append(v.cancelled, id); return nil }

// liveEngine starts an engine whose one strategy buys 10 shares on its
// first tick, and records the order updates and fills it hears of.
func liveEngine(t *testing.T) (*Engine, *venue, *[]market.Order, *[]market.Fill) {
	t.Helper()
	v := &venue{}
	var orders []market.Order
	var fills []market.Fill
	bought := false
	g := goStrat{meta: script.Meta{Name: "ext", Symbols: []market.Symbol{sym}}}
	g.tick = func(tk *market.Tick) error {
		if !bought {
			bought = true
			_, err := g.h.Submit(script.OrderRequest{Symbol: sym, Side: market.Buy, Type: market.MarketOrder, Qty: 10})
			return err
		}
		return nil
	}
	g.order = func(o *market.Order) error { orders = append(orders, *o); return nil }
	g.fill = func(f *market.Fill) error { fills = append(fills, *f); return nil }
	sp := goSpec(g)
	sp.New = func(h script.Host) (Strategy, error) { g.h = h; return &g, nil }
	e, err := New(Config{Strategies: []Spec{sp}, Cash: 10_000_000, Journal: &fillJournal{},
		NewBroker: func(string) (Broker, error) { return v, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	tk := market.Tick{Time: day1, Symbol: sym, Price: 70_000, Volume: 1}
	e.Process(&tk)
	if len(v.submitted) != 1 {
		t.Fatalf("venue got %d orders, want 1", len(v.submitted))
	}
	return e, v, &orders, &fills
}

func TestBrokerFillBooksLikePaper(t *testing.T) {
	e, v, orders, fills := liveEngine(t)
	id := v.submitted[0].ID
	fee, tax := krx.DefaultFees().Compute(market.Buy, 4*70_100)
	f := market.Fill{OrderID: id, Symbol: sym, Side: market.Buy, Qty: 4, Price: 70_100, Fee: fee, Tax: tax, Time: day1.Add(time.Second)}
	if err := e.BrokerFill("ext", f); err != nil {
		t.Fatal(err)
	}
	f.Qty, f.Time = 6, day1.Add(2*time.Second)
	f.Fee, f.Tax = krx.DefaultFees().Compute(market.Buy, 6*70_100)
	if err := e.BrokerFill("ext", f); err != nil {
		t.Fatal(err)
	}
	r := e.Results()[0]
	wantCash := 10_000_000 - 10*70_100 - r.Fees
	if r.Cash != wantCash || len(r.Positions) != 1 || r.Positions[0].Qty != 10 {
		t.Fatalf("cash %d positions %+v; want cash %d and 10 shares", r.Cash, r.Positions, wantCash)
	}
	if len(*fills) != 2 {
		t.Fatalf("on_fill ran %d times, want 2", len(*fills))
	}
	last := (*orders)[len(*orders)-1]
	if last.Status != market.OrderFilled || last.FilledQty != 10 {
		t.Fatalf("last on_order %+v, want filled 10", last)
	}
	if err := e.BrokerFill("ext", f); err == nil && len(e.Results()[0].Fills) != 3 {
		t.Fatal("a fill after the order is done was neither booked nor refused")
	}
	if err := e.BrokerFill("nobody", f); err == nil {
		t.Fatal("a fill for an unknown strategy was accepted")
	}
}

func TestBrokerUpdate(t *testing.T) {
	for _, tc := range []struct {
		status market.OrderStatus
		ok     bool
	}{
		{market.OrderRejected, true},
		{market.OrderCancelled, true},
		{market.OrderFilled, false},
	} {
		t.Run(tc.status.String(), func(t *testing.T) {
			e, v, orders, _ := liveEngine(t)
			err := e.BrokerUpdate("ext", v.submitted[0].ID, tc.status, "APBK0952 not enough cash")
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
			if !tc.ok {
				return
			}
			last := (*orders)[len(*orders)-1]
			if last.Status != tc.status || last.Reason != "APBK0952 not enough cash" {
				t.Fatalf("on_order got %+v", last)
			}
			var open []market.Order
			if open = e.strats[0].OpenOrders(open); len(open) != 0 {
				t.Fatalf("order still working: %+v", open)
			}
		})
	}
}

func TestBrokerFillAfterCancelIsNotLost(t *testing.T) {
	e, v, _, fills := liveEngine(t)
	id := v.submitted[0].ID
	if err := e.strats[0].Cancel(id); err != nil {
		t.Fatal(err)
	}
	f := market.Fill{OrderID: id, Symbol: sym, Side: market.Buy, Qty: 3, Price: 70_000, Time: day1}
	if err := e.BrokerFill("ext", f); err != nil {
		t.Fatal(err)
	}
	r := e.Results()[0]
	if r.Cash != 10_000_000-3*70_000 || r.Positions[0].Qty != 3 || len(*fills) != 1 {
		t.Fatalf("late fill: cash %d positions %+v on_fill %d", r.Cash, r.Positions, len(*fills))
	}
	if j := e.cfg.Journal.(*fillJournal); len(j.fills) != 1 || len(j.positions) != 1 || j.positions[0].Qty != 3 {
		t.Fatalf("journal has fills %+v positions %+v, want the late fill and its position", j.fills, j.positions)
	}
}

// fillJournal keeps the fills and positions the engine stores.
type fillJournal struct {
	fills     []market.Fill
	positions []market.Position
}

func (j *fillJournal) SaveOrder(market.Order) error { return nil }
func (j *fillJournal) SaveFill(f market.Fill) error { j.fills = append(j.fills, f); return nil }
func (j *fillJournal) SavePosition(_ string, p market.Position) error {
	j.positions = append(j.positions, p)
	return nil
}

func TestSymbols(t *testing.T) {
	meta := func(name string, syms ...market.Symbol) Spec {
		return goSpec(goStrat{meta: script.Meta{Name: name, Symbols: syms}})
	}
	e, err := New(Config{Strategies: []Spec{meta("a", "035420", sym), meta("b", sym, "000660")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	got := e.Symbols()
	if want := []market.Symbol{"000660", sym, "035420"}; !slices.Equal(got, want) {
		t.Fatalf("symbols %v, want %v", got, want)
	}
	if err := e.Remove("b"); err != nil {
		t.Fatal(err)
	}
	if got, want := e.Symbols(), []market.Symbol{sym, "035420"}; !slices.Equal(got, want) {
		t.Fatalf("after Remove: %v, want %v", got, want)
	}
}
