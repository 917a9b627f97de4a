package record

import (
	"context"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

type nopStore struct{}

func (nopStore) WriteTicks(context.Context, []market.Tick) error { return nil }
func (nopStore) WriteBars(context.Context, []market.Bar) error   { return nil }
func (nopStore) WriteEvents(context.Context, []Event) error      { return nil }

// BenchmarkTick is the engine's cost of recording a tick when the writer keeps
// up: the buffer is swapped out every half capacity, as the writer does.
func BenchmarkTick(b *testing.B) {
	r, err := New(Config{Store: nopStore{}, Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	tk := market.Tick{Time: time.Unix(1772496000, 0), Symbol: "005930", Price: 70000, Volume: 3}
	spare := make([]item, 0, r.cfg.Capacity)
	b.ReportAllocs()
	for b.Loop() {
		r.Tick(&tk)
		if len(r.buf) == r.cfg.Capacity/2 {
			spare = r.swap(spare)
		}
	}
	if r.stats.Spilled != 0 {
		b.Fatalf("spilled %d", r.stats.Spilled)
	}
}

// nopDurable takes every journal entry at once.
type nopDurable struct{}

func (nopDurable) SaveOrder(context.Context, market.Order) error               { return nil }
func (nopDurable) SaveFill(context.Context, market.Fill) error                 { return nil }
func (nopDurable) SavePosition(context.Context, string, market.Position) error { return nil }
func (nopDurable) SaveStrategyState(context.Context, string, []byte) error     { return nil }

// BenchmarkJournalSaveOrder is what ctx.buy pays for durability: one
// journal line appended and fsynced in the spool folder (the machine's own
// disk), the store fed in the background.
func BenchmarkJournalSaveOrder(b *testing.B) {
	r, err := New(Config{Store: nopStore{}, Durable: nopDurable{}, Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	r.Start(context.Background())
	defer r.Close(context.Background())
	o := market.Order{ID: 1, Strategy: "s", Symbol: "005930", Side: market.Buy, Type: market.LimitOrder,
		Qty: 10, Price: 70000, Created: time.Unix(1772496000, 0), Status: market.OrderNew, Sessions: 1}
	b.ReportAllocs()
	for b.Loop() {
		o.ID++
		if err := r.SaveOrder(context.Background(), o); err != nil {
			b.Fatal(err)
		}
	}
}
