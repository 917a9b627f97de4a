package fill

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

var t0 = time.Date(2026, 3, 4, 9, 30, 0, 0, market.Seoul)

const sym market.Symbol = "005930"

// step is one event of a scenario: a submission, a cancel or a print.
type step struct {
	submit *market.Order
	cancel int64
	tick   *market.Tick
	at     time.Duration // market time of the event, after t0
}

func mkt(id int64, side market.Side, qty int64, at time.Duration) step {
	o := market.Order{ID: id, Strategy: "s", Symbol: sym, Side: side, Type: market.MarketOrder, Qty: qty, Status: market.OrderNew}
	return step{submit: &o, at: at}
}

func lmt(id int64, side market.Side, qty, price int64, at time.Duration) step {
	o := market.Order{ID: id, Strategy: "s", Symbol: sym, Side: side, Type: market.LimitOrder, Qty: qty, Price: price, Status: market.OrderNew}
	return step{submit: &o, at: at}
}

func cxl(id int64, at time.Duration) step { return step{cancel: id, at: at} }

func prt(at time.Duration, price, volume int64) step {
	return step{tick: &market.Tick{Time: t0.Add(at), Symbol: sym, Price: price, Volume: volume}, at: at}
}

// fl is the part of a fill a scenario checks.
type fl struct{ id, qty, price, fee, tax int64 }

func run(t *testing.T, cfg Config, steps []step) (*Model, []fl) {
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
	got := make([]fl, len(fills))
	for i, f := range fills {
		got[i] = fl{f.OrderID, f.Qty, f.Price, f.Fee, f.Tax}
	}
	return m, got
}

const sec = time.Second

func TestFills(t *testing.T) {
	noFees := Config{}
	capped := Config{CapToVolume: true}
	for _, tc := range []struct {
		name  string
		cfg   Config
		steps []step
		want  []fl
		open  int
	}{
		{"market buy at the next print", Config{Fees: krx.DefaultTariff()},
			[]step{mkt(1, market.Buy, 10, 0), prt(sec, 70_000, 1)},
			[]fl{{1, 10, 70_000, 105, 0}}, 0}, // 700,000 × 0.015 %
		{"never on a print stamped at submission", noFees,
			[]step{prt(0, 70_000, 5), mkt(1, market.Buy, 10, 0), prt(0, 70_100, 5), prt(sec, 70_200, 5)},
			[]fl{{1, 10, 70_200, 0, 0}}, 0},
		{"never on a late print stamped before submission", noFees,
			[]step{mkt(1, market.Buy, 10, sec), prt(sec-time.Millisecond, 70_000, 5)},
			nil, 1},
		{"other symbols do not fill", noFees,
			[]step{mkt(1, market.Buy, 10, 0), {tick: &market.Tick{Time: t0.Add(sec), Symbol: "000660", Price: 100_000, Volume: 5}}},
			nil, 1},
		{"buy slippage 2 ticks", Config{SlippageTicks: 2},
			[]step{mkt(1, market.Buy, 1, 0), prt(sec, 70_000, 1)},
			[]fl{{1, 1, 70_200, 0, 0}}, 0},
		{"sell slippage 2 ticks", Config{SlippageTicks: 2},
			[]step{mkt(1, market.Sell, 1, 0), prt(sec, 70_000, 1)},
			[]fl{{1, 1, 69_800, 0, 0}}, 0},
		{"sell slippage crosses a band down", Config{SlippageTicks: 1},
			[]step{mkt(1, market.Sell, 1, 0), prt(sec, 50_000, 1)},
			[]fl{{1, 1, 49_950, 0, 0}}, 0},
		{"buy slippage crosses a band up", Config{SlippageTicks: 2},
			[]step{mkt(1, market.Buy, 1, 0), prt(sec, 49_950, 1)},
			[]fl{{1, 1, 50_100, 0, 0}}, 0},
		{"limit buy: a touch is not enough", noFees,
			[]step{lmt(1, market.Buy, 3, 70_000, 0), prt(sec, 70_100, 9), prt(2*sec, 70_000, 9)},
			nil, 1},
		{"limit buy fills at its price when the market prints through", noFees,
			[]step{lmt(1, market.Buy, 3, 70_000, 0), prt(sec, 70_000, 9), prt(2*sec, 69_500, 9)},
			[]fl{{1, 3, 70_000, 0, 0}}, 0},
		{"limit buy on touch", Config{LimitFillOnTouch: true},
			[]step{lmt(1, market.Buy, 3, 70_000, 0), prt(sec, 70_100, 9), prt(2*sec, 70_000, 9)},
			[]fl{{1, 3, 70_000, 0, 0}}, 0},
		{"limit sell needs a print above", noFees,
			[]step{lmt(1, market.Sell, 2, 70_000, 0), prt(sec, 70_000, 9), prt(2*sec, 69_900, 9), prt(3*sec, 70_100, 9)},
			[]fl{{1, 2, 70_000, 0, 0}}, 0},
		{"limit sell on touch", Config{LimitFillOnTouch: true},
			[]step{lmt(1, market.Sell, 2, 70_000, 0), prt(sec, 69_900, 9), prt(2*sec, 70_000, 9)},
			[]fl{{1, 2, 70_000, 0, 0}}, 0},
		{"volume cap shared in submission order", capped,
			[]step{
				mkt(1, market.Buy, 10, 0), mkt(2, market.Buy, 10, 0),
				prt(sec, 70_000, 15), prt(2*sec, 70_100, 3), prt(3*sec, 70_200, 10),
			},
			[]fl{{1, 10, 70_000, 0, 0}, {2, 5, 70_000, 0, 0}, {2, 3, 70_100, 0, 0}, {2, 2, 70_200, 0, 0}}, 0},
		{"volume cap across limits at different prices", capped,
			[]step{
				lmt(1, market.Buy, 5, 70_000, 0), lmt(2, market.Buy, 5, 70_500, 0),
				prt(sec, 69_900, 6), prt(2*sec, 70_400, 10),
			},
			[]fl{{1, 5, 70_000, 0, 0}, {2, 1, 70_500, 0, 0}, {2, 4, 70_500, 0, 0}}, 0},
		{"a later order does not take volume an earlier one is not eligible for", capped,
			[]step{lmt(1, market.Buy, 5, 69_000, 0), mkt(2, market.Buy, 4, 0), prt(sec, 70_000, 4)},
			[]fl{{2, 4, 70_000, 0, 0}}, 1},
		{"zero-volume print fills nothing when capped", capped,
			[]step{mkt(1, market.Buy, 1, 0), prt(sec, 70_000, 0)},
			nil, 1},
		{"a print without a price fills nothing", noFees,
			[]step{mkt(1, market.Buy, 1, 0), prt(sec, 0, 5), prt(2*sec, -100, 5)},
			nil, 1},
		{"zero-volume print fills when not capped", noFees,
			[]step{mkt(1, market.Buy, 1, 0), prt(sec, 70_000, 0)},
			[]fl{{1, 1, 70_000, 0, 0}}, 0},
		{"latency: live only strictly after submit + 100ms", Config{Latency: 100 * time.Millisecond},
			[]step{
				mkt(1, market.Buy, 1, 0),
				prt(50*time.Millisecond, 70_000, 1), prt(100*time.Millisecond, 70_100, 1), prt(101*time.Millisecond, 70_200, 1),
			},
			[]fl{{1, 1, 70_200, 0, 0}}, 0},
		{"cancel before the print", noFees,
			[]step{lmt(1, market.Buy, 1, 70_000, 0), cxl(1, sec), prt(2*sec, 69_000, 1)},
			nil, 0},
		{"cancel of one leaves the other working in order", capped,
			[]step{mkt(1, market.Buy, 1, 0), mkt(2, market.Buy, 1, 0), mkt(3, market.Buy, 1, 0), cxl(2, 0), prt(sec, 70_000, 2)},
			[]fl{{1, 1, 70_000, 0, 0}, {3, 1, 70_000, 0, 0}}, 0},
		// Each fill of 65,800 won pays 65,800 × 0.015 % = 9.87 → 9 commission and
		// 32.9 → 32 plus 98.7 → 98 tax: 3 fills pay 27 and 390, where one fill of
		// 197,400 would pay 29 and 98 + 296 = 394.
		{"fee and tax per partial fill", Config{CapToVolume: true, Fees: krx.DefaultTariff()},
			[]step{lmt(1, market.Sell, 3, 65_800, 0), prt(sec, 65_900, 1), prt(2*sec, 65_900, 1), prt(3*sec, 66_000, 5)},
			[]fl{{1, 1, 65_800, 9, 130}, {1, 1, 65_800, 9, 130}, {1, 1, 65_800, 9, 130}}, 0},
		{"one fill of the same order", Config{Fees: krx.DefaultTariff()},
			[]step{lmt(1, market.Sell, 3, 65_800, 0), prt(sec, 65_900, 1)},
			[]fl{{1, 3, 65_800, 29, 394}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, got := run(t, tc.cfg, tc.steps)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("fills\n got %+v\nwant %+v", got, tc.want)
			}
			if m.Open() != tc.open {
				t.Fatalf("Open() = %d, want %d", m.Open(), tc.open)
			}
		})
	}
}

func TestSubmitRejects(t *testing.T) {
	good := market.Order{ID: 1, Symbol: sym, Side: market.Buy, Type: market.LimitOrder, Qty: 1, Price: 70_000, Status: market.OrderNew}
	for _, tc := range []struct {
		name string
		cfg  Config
		edit func(o *market.Order)
		want string
	}{
		{"zero quantity", Config{}, func(o *market.Order) { o.Qty = 0 }, "qty"},
		{"off-grid limit", Config{}, func(o *market.Order) { o.Price = 70_050 }, "limit price 70050 is not on the KRX tick grid (tick 100 won)"},
		{"finished order", Config{}, func(o *market.Order) { o.Status = market.OrderFilled }, "status filled"},
		{"duplicate ID", Config{}, func(o *market.Order) {}, "already working"},
		{"negative latency", Config{Latency: -time.Millisecond}, nil, "latency: -1ms is negative"},
		{"negative slippage", Config{SlippageTicks: -1}, nil, "slippage_ticks"},
		{"bad fee schedule", Config{Fees: krx.Tariff{Commission: -1}}, nil, "commission"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New(tc.cfg)
			o := good
			if tc.edit != nil {
				if err := m.Submit(good, t0); err != nil {
					t.Fatal(err)
				}
				tc.edit(&o)
			}
			err := m.Submit(o, t0)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "order 1") {
				t.Fatalf("err = %v, want it to name order 1 and contain %q", err, tc.want)
			}
		})
	}
}

func TestFillFieldsAndProgress(t *testing.T) {
	m := New(Config{CapToVolume: true, Fees: krx.DefaultTariff()})
	o := market.Order{ID: 7, Strategy: "rsi", Symbol: sym, Side: market.Sell, Type: market.LimitOrder, Qty: 10, Price: 70_000, Status: market.OrderNew}
	if err := m.Submit(o, t0); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(sec)
	fills := m.OnTick(&market.Tick{Time: at, Symbol: sym, Price: 70_100, Volume: 4}, nil)
	want := market.Fill{OrderID: 7, Strategy: "rsi", Symbol: sym, Side: market.Sell, Qty: 4, Price: 70_000,
		Fee: 42, Tax: 560, Time: at} // 280,000 × 0.015 % = 42; × 0.05 % = 140 and × 0.15 % = 420
	if len(fills) != 1 || fills[0] != want {
		t.Fatalf("fills = %+v, want [%+v]", fills, want)
	}
	orders := m.Orders(nil)
	if len(orders) != 1 || orders[0].FilledQty != 4 || orders[0].Status != market.OrderPartiallyFilled {
		t.Fatalf("working orders = %+v, want order 7 partially filled with 4", orders)
	}
	if !m.Cancel(7, at) || m.Cancel(7, at) || m.Cancel(99, at) {
		t.Fatal("Cancel: want true for the working order, then false, false for an unknown one")
	}
}

func TestCancelAfterFill(t *testing.T) {
	m, _ := run(t, Config{}, []step{mkt(1, market.Buy, 1, 0), prt(sec, 70_000, 1)})
	if m.Cancel(1, t0.Add(2*sec)) {
		t.Fatal("Cancel of a filled order reported true")
	}
}
