package fill

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// session generates a reproducible mix of orders, cancels and prints on two
// symbols: a random walk on the KRX grid around 70,000 won.
func session(seed uint64, n int) []step {
	r := rand.New(rand.NewPCG(seed, 1))
	syms := []market.Symbol{"005930", "000660"}
	price := int64(70_000)
	var steps []step
	id := int64(0)
	for i := range n {
		at := time.Duration(i) * 10 * time.Millisecond
		switch k := r.IntN(10); {
		case k < 2:
			id++
			o := market.Order{ID: id, Strategy: "s", Symbol: syms[r.IntN(2)], Side: market.Side(1 + r.IntN(2)),
				Type: market.MarketOrder, Qty: 1 + r.Int64N(50), Status: market.OrderNew}
			if r.IntN(2) == 0 {
				o.Type, o.Price = market.LimitOrder, krx.AddTicks(price, r.IntN(7)-3)
			}
			steps = append(steps, step{submit: &o, at: at})
		case k < 3 && id > 0:
			steps = append(steps, cxl(1+r.Int64N(id), at))
		default:
			price = krx.AddTicks(price, r.IntN(5)-2)
			tk := market.Tick{Time: t0.Add(at), Symbol: syms[r.IntN(2)], Price: price, Volume: r.Int64N(40)}
			steps = append(steps, step{tick: &tk, at: at})
		}
	}
	return steps
}

func replay(t *testing.T, cfg Config, steps []step) []market.Fill {
	t.Helper()
	m := New(cfg)
	var fills []market.Fill
	for _, s := range steps {
		switch {
		case s.submit != nil:
			if err := m.Submit(*s.submit, t0.Add(s.at)); err != nil {
				t.Fatal(err)
			}
		case s.tick != nil:
			fills = m.OnTick(s.tick, fills)
		default:
			m.Cancel(s.cancel, t0.Add(s.at))
		}
	}
	return fills
}

func TestDeterministic(t *testing.T) {
	cfg := Config{SlippageTicks: 1, CapToVolume: true, Latency: 25 * time.Millisecond, Fees: krx.DefaultTariff()}
	steps := session(42, 5_000)
	a, b := replay(t, cfg, steps), replay(t, cfg, steps)
	if len(a) < 100 {
		t.Fatalf("only %d fills: the generated session does not exercise the model", len(a))
	}
	if !slices.Equal(a, b) {
		t.Fatal("two runs over the same input gave different fills")
	}
	checkInvariants(t, cfg, steps, a)
}

// checkInvariants verifies what every fill must satisfy whatever the input:
// no overfill, no print giving more than its volume, no fill before the
// order is live, limit fills at the limit price, fees from the schedule.
func checkInvariants(t *testing.T, cfg Config, steps []step, fills []market.Fill) {
	t.Helper()
	orders := map[int64]market.Order{}
	live := map[int64]time.Time{}
	for _, s := range steps {
		if s.submit != nil {
			orders[s.submit.ID] = *s.submit
			live[s.submit.ID] = t0.Add(s.at + cfg.Latency)
		}
	}
	filled := map[int64]int64{}
	perPrint := map[time.Time]int64{}
	for _, f := range fills {
		o := orders[f.OrderID]
		filled[f.OrderID] += f.Qty
		perPrint[f.Time] += f.Qty
		fee, tax := cfg.Fees.Compute(f.Time, f.Symbol, f.Side, f.Value())
		switch {
		case filled[f.OrderID] > o.Qty:
			t.Fatalf("order %d overfilled: %d of %d", o.ID, filled[f.OrderID], o.Qty)
		case !f.Time.After(live[f.OrderID]):
			t.Fatalf("order %d filled at %v, live only after %v", o.ID, f.Time, live[f.OrderID])
		case o.Type == market.LimitOrder && f.Price != o.Price:
			t.Fatalf("limit order %d at %d filled at %d", o.ID, o.Price, f.Price)
		case f.Symbol != o.Symbol || f.Side != o.Side:
			t.Fatalf("fill %+v does not match order %+v", f, o)
		case f.Fee != fee || f.Tax != tax:
			t.Fatalf("fill %+v: fee %d tax %d, schedule says %d %d", f, f.Fee, f.Tax, fee, tax)
		}
	}
	for _, s := range steps {
		if s.tick != nil && perPrint[s.tick.Time] > s.tick.Volume {
			t.Fatalf("print at %v of %d shares filled %d", s.tick.Time, s.tick.Volume, perPrint[s.tick.Time])
		}
	}
}
