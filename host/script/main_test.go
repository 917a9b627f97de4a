package script

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

func TestMain(m *testing.M) {
	HardenProcess() // as cmd/qb does, before any state exists
	os.Exit(m.Run())
}

// fakeHost stands in for the engine: a plain struct whose answers the test
// sets and whose calls it records.
type fakeHost struct {
	now       time.Time
	submitted []OrderRequest
	cancelled []int64
	submitErr error
	cancelErr error
	nextID    int64
	positions map[market.Symbol]market.Position
	cash      int64
	equity    int64
	open      []market.Order
	last      map[market.Symbol]int64
	bars      []market.Bar
	indCalls  []string
	indOut    []float64
	indReady  bool
	indErr    error
}

func newFakeHost() *fakeHost {
	return &fakeHost{
		now:       time.Date(2024, 3, 4, 9, 30, 0, 0, market.Seoul),
		nextID:    100,
		positions: map[market.Symbol]market.Position{},
		cash:      100_000_000,
		equity:    100_500_000,
		last:      map[market.Symbol]int64{},
		indReady:  true,
	}
}

func (h *fakeHost) Now() time.Time { return h.now }

func (h *fakeHost) Submit(req OrderRequest) (int64, error) {
	if h.submitErr != nil {
		return 0, h.submitErr
	}
	h.submitted = append(h.submitted, req)
	h.nextID++
	return h.nextID, nil
}

func (h *fakeHost) Cancel(id int64) error {
	if h.cancelErr != nil {
		return h.cancelErr
	}
	h.cancelled = append(h.cancelled, id)
	return nil
}

func (h *fakeHost) Position(sym market.Symbol) market.Position {
	p := h.positions[sym]
	p.Symbol = sym
	return p
}

func (h *fakeHost) Cash() int64   { return h.cash }
func (h *fakeHost) Equity() int64 { return h.equity }

func (h *fakeHost) OpenOrders(dst []market.Order) []market.Order { return append(dst, h.open...) }

func (h *fakeHost) LastPrice(sym market.Symbol) (int64, bool) {
	p, ok := h.last[sym]
	return p, ok
}

func (h *fakeHost) Bars(sym market.Symbol, n int, dst []market.Bar) []market.Bar {
	bars := h.bars
	if len(bars) > n {
		bars = bars[len(bars)-n:]
	}
	return append(dst, bars...)
}

func (h *fakeHost) Indicator(sym market.Symbol, name string, params []float64, out []float64) ([]float64, bool, error) {
	if h.indErr != nil {
		return out, false, h.indErr
	}
	if h.indCalls != nil {
		h.indCalls = append(h.indCalls, fmt.Sprintf("%s %s %v", sym, name, params))
	}
	return append(out, h.indOut...), h.indReady, nil
}

var errRejected = errors.New("risk: order value 90000000 exceeds the limit 50000000")

// load compiles testdata/name.
func load(t testing.TB, name string) *Program {
	t.Helper()
	path := filepath.Join("testdata", name)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(path, src)
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return p
}

// start builds a strategy from a testdata file and closes it with the test.
func start(t testing.TB, name string, h Host, opt Options) *Strategy {
	t.Helper()
	if h == nil {
		h = newFakeHost()
	}
	s, err := New(load(t, name), h, opt)
	if err != nil {
		t.Fatalf("new %s: %v", name, err)
	}
	t.Cleanup(s.Close)
	return s
}

// compileSrc compiles an inline script (for contract cases that differ by
// a line).
func compileSrc(t testing.TB, src string) *Program {
	t.Helper()
	p, err := Compile("inline.lua", []byte(src))
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return p
}

func tick(price int64) *market.Tick {
	return &market.Tick{Time: time.Date(2024, 3, 4, 9, 30, 1, 0, market.Seoul), Symbol: "005930",
		Price: price, Volume: 7, Bid: price - 100, Ask: price}
}

func bar(close int64) *market.Bar {
	return &market.Bar{Symbol: "005930", Timeframe: market.Min1, Start: time.Date(2024, 3, 4, 9, 30, 0, 0, market.Seoul),
		Open: close - 100, High: close + 200, Low: close - 300, Close: close, Volume: 1234}
}
