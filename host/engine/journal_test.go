package engine

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/paper"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/fill"
	"github.com/qbtrading/qb/lib/market"
)

// trail is one ordered log of what the journal, the broker and the
// strategy's hooks saw, to check who went first.
type trail struct {
	lines    []string
	failWith error // SaveOrder fails with it when set
}

func (j *trail) add(format string, args ...any) {
	j.lines = append(j.lines, fmt.Sprintf(format, args...))
}

func (j *trail) SaveOrder(o market.Order) error {
	if j.failWith != nil {
		return j.failWith
	}
	j.add("journal order %d %s", o.ID, o.Status)
	return nil
}

func (j *trail) SaveFill(f market.Fill) error {
	j.add("journal fill %d %d@%d by %s", f.OrderID, f.Qty, f.Price, f.Strategy)
	return nil
}

func (j *trail) SavePosition(strategy string, p market.Position) error {
	j.add("journal position %s %s %d", strategy, p.Symbol, p.Qty)
	return nil
}

// tracedBroker is the paper broker, telling the trail what reaches it.
type tracedBroker struct {
	*paper.Broker
	j *trail
}

func (b tracedBroker) Submit(o market.Order) error {
	b.j.add("broker submit %d", o.ID)
	return b.Broker.Submit(o)
}

func tracedConfig(t *testing.T, j *trail, specs ...Spec) Config {
	return Config{Strategies: specs, Journal: j, NewBroker: func(string) (Broker, error) {
		p, err := paper.New(fill.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		return tracedBroker{Broker: p, j: j}, nil
	}}
}

// buyOnce buys 10 shares at market on its first tick.
func buyOnce(j *trail) Spec {
	done := false
	g := goStrat{meta: script.Meta{Name: "buyer", Symbols: []market.Symbol{sym}}}
	g.tick = func(*market.Tick) error {
		if !done {
			done = true
			if _, err := g.h.Submit(script.OrderRequest{Symbol: sym, Side: market.Buy, Type: market.MarketOrder, Qty: 10}); err != nil {
				j.add("submit error: %v", err)
			}
		}
		return nil
	}
	g.fill = func(f *market.Fill) error { j.add("on_fill %d", f.OrderID); return nil }
	return Spec{File: "buyer.go", New: func(h script.Host) (Strategy, error) { g.h = h; return &g, nil }}
}

func TestJournalStoresBeforeTheEngineActs(t *testing.T) {
	j := &trail{}
	res := run(t, tracedConfig(t, j, buyOnce(j)), session(day1, 3, wave))
	if len(res[0].Fills) != 1 {
		t.Fatalf("fills %+v, want one", res[0].Fills)
	}
	want := []string{
		"journal order 1 new", "broker submit 1", "journal order 1 accepted",
		fmt.Sprintf("journal fill 1 10@%d by buyer", res[0].Fills[0].Price), "journal position buyer 005930 10", "journal order 1 filled", "on_fill 1",
	}
	if !slices.Equal(j.lines, want) {
		t.Fatalf("trail:\n%s\nwant:\n%s", strings.Join(j.lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestOrderTheJournalCannotStoreIsNeverSent(t *testing.T) {
	j := &trail{failWith: errors.New("store down")}
	res := run(t, tracedConfig(t, j, buyOnce(j)), session(day1, 3, wave))
	for _, l := range j.lines {
		if strings.HasPrefix(l, "broker") {
			t.Fatalf("the broker saw an order the journal did not store: %v", j.lines)
		}
	}
	if len(j.lines) != 1 || !strings.Contains(j.lines[0], "journal: store down") {
		t.Fatalf("trail %v: want the submit error naming the journal", j.lines)
	}
	if res[0].Rejected != 1 || len(res[0].Fills) != 0 {
		t.Fatalf("result %+v: want one rejected order and no fill", res[0])
	}
}

// restoredSpec is a strategy restored with cash, 10 shares and a working
// limit buy at 70,100 (the test tape trades at 70,000 first); it places one new order on start.
func restoredSpec(j *trail, open market.Order) Spec {
	g := goStrat{meta: script.Meta{Name: "back", Symbols: []market.Symbol{sym}}}
	g.start = func(h script.Host) error {
		id, err := h.Submit(script.OrderRequest{Symbol: sym, Side: market.Buy, Type: market.LimitOrder, Qty: 1, Price: 60_000})
		j.add("new order %d %v", id, err)
		return err
	}
	sp := Spec{File: "back.go", New: func(h script.Host) (Strategy, error) { g.h = h; return &g, nil }}
	sp.Restore = &Restore{
		Cash:      50_000_000,
		Positions: []market.Position{{Symbol: sym, Qty: 10, Cost: 690_000}},
		Open:      []market.Order{open},
		LastSeq:   4,
	}
	return sp
}

func workingBuy(id int64, created time.Time) market.Order {
	o := market.Order{ID: id, Seq: 3, Strategy: "back", Symbol: sym, Side: market.Buy, Type: market.LimitOrder,
		Qty: 5, Price: 70_100, Created: created, Status: market.OrderNew}
	_ = o.Accept(created)
	return o
}

func TestRestoredAccountTradesOn(t *testing.T) {
	j := &trail{}
	cfg := tracedConfig(t, j, restoredSpec(j, workingBuy(7, day1.Add(-time.Hour))))
	cfg.LastOrderID = 5
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Results()[0]; got.Cash != 50_000_000 || got.Equity != 50_690_000 {
		t.Fatalf("before any tick: cash %d, equity %d; want 50,000,000 and the position at cost", got.Cash, got.Equity)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	ticks := session(day1, 3, wave)
	for i := range ticks {
		e.Process(&ticks[i])
	}
	r := e.Results()[0]
	if !slices.Contains(j.lines, "new order 5 <nil>") || !slices.Contains(j.lines, "journal order 8 new") {
		t.Errorf("trail %v: the first new order should be the strategy's 5, above LastSeq 4, "+
			"stored as 8, above the restored 7 and LastOrderID 5", j.lines)
	}
	if !slices.Contains(j.lines, "broker submit 7") {
		t.Errorf("trail %v: the restored order was not resubmitted to the paper broker", j.lines)
	}
	if len(r.Fills) != 1 || r.Fills[0].OrderID != 7 || r.Fills[0].OrderSeq != 3 || r.Positions[0].Qty != 15 {
		t.Fatalf("fills %+v, positions %+v: want the restored buy filled, 15 shares", r.Fills, r.Positions)
	}
	if want := 50_000_000 + r.Fills[0].CashDelta(); r.Cash != want {
		t.Errorf("cash %d, want %d", r.Cash, want)
	}
	if want := r.Cash + 15*70_000; r.Equity != want {
		t.Errorf("equity %d, want cash + 15 × 70,000 = %d", r.Equity, want)
	}
}

func TestRestoredOrderOfAnEarlierDayExpires(t *testing.T) {
	j := &trail{}
	run(t, tracedConfig(t, j, restoredSpec(j, workingBuy(7, day1))), session(day2, 2, func(int) int64 { return 80_000 }))
	if !slices.Contains(j.lines, "journal order 7 cancelled") {
		t.Fatalf("trail %v: yesterday's order 7 still works today", j.lines)
	}
}
