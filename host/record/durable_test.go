package record_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/record"
	"github.com/qbtrading/qb/lib/market"
)

// flakyDurable fails the first failFirst calls, or every call while err is
// set, then keeps what it is given.
type flakyDurable struct {
	mu        sync.Mutex
	failFirst int
	calls     int
	orders    []market.Order
	fills     []market.Fill
	positions []market.Position
	err       error // returned by every call when set
}

func (d *flakyDurable) call() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls++
	if d.err != nil {
		return d.err
	}
	if d.calls <= d.failFirst {
		return errDown
	}
	return nil
}

func (d *flakyDurable) setErr(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.err = err
}

func (d *flakyDurable) SaveOrder(_ context.Context, o market.Order) error {
	if err := d.call(); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.orders = append(d.orders, o)
	return nil
}
func (d *flakyDurable) SaveFill(_ context.Context, f market.Fill) error {
	if err := d.call(); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.fills = append(d.fills, f)
	return nil
}
func (d *flakyDurable) SavePosition(_ context.Context, _ string, p market.Position) error {
	if err := d.call(); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.positions = append(d.positions, p)
	return nil
}
func (d *flakyDurable) SaveStrategyState(context.Context, string, []byte) error { return d.call() }

// kept returns the order IDs and statuses, fills and positions stored.
func (d *flakyDurable) kept() (orders []market.Order, fills []market.Fill, positions []market.Position) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.orders), slices.Clone(d.fills), slices.Clone(d.positions)
}

func durableRecorder(t *testing.T, d record.Durable, dir string) *record.Recorder {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	cfg := record.Config{Store: &memStore{}, Dir: dir, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}
	if d != nil { // a nil *flakyDurable in the interface is not a nil Durable
		cfg.Durable = d
	}
	r, err := record.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var (
	jt0    = time.Date(2024, 3, 4, 0, 10, 0, 0, time.UTC)
	order1 = market.Order{ID: 1, Seq: 1, Strategy: "s", Symbol: "005930", Side: market.Buy, Type: market.LimitOrder,
		Qty: 3, Price: 70000, Created: jt0, Sessions: 1, Status: market.OrderNew}
)

// trade journals an order's life: new, accepted, a fill and its position,
// then filled.
func trade(t *testing.T, r *record.Recorder, o market.Order) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(r.SaveOrder(ctx, o))
	must(o.Accept(jt0))
	must(r.SaveOrder(ctx, o))
	f := market.Fill{OrderID: o.ID, OrderSeq: o.Seq, Strategy: o.Strategy, Symbol: o.Symbol, Side: o.Side, Qty: o.Qty,
		Price: o.Price, Fee: 10, Time: jt0.Add(time.Minute)}
	must(r.SaveFill(ctx, f))
	must(r.SavePosition(ctx, o.Strategy, market.Position{Symbol: o.Symbol, Qty: o.Qty, Cost: o.Qty * o.Price}))
	must(o.ApplyFill(f.Time, f.Qty))
	must(r.SaveOrder(ctx, o))
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 10 s", what)
		}
	}
}

func journalFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "journal-*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// While the store is down, journaling returns at once (a local append) and
// the store catches up, in order, when it returns.
func TestJournalDoesNotWaitForTheStore(t *testing.T) {
	d := &flakyDurable{err: errDown}
	dir := t.TempDir()
	r := durableRecorder(t, d, dir)
	r.Start(context.Background())
	start := time.Now()
	trade(t, r, order1)
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("journaling with the store down took %v", took)
	}
	if len(journalFiles(t, dir)) != 1 {
		t.Fatalf("journal files %v, want one", journalFiles(t, dir))
	}
	d.setErr(nil)
	waitFor(t, "journal in the store", func() bool { return r.Stats().Journaled == 5 })
	orders, fills, positions := d.kept()
	var status []market.OrderStatus
	for _, o := range orders {
		status = append(status, o.Status)
	}
	if !slices.Equal(status, []market.OrderStatus{market.OrderNew, market.OrderAccepted, market.OrderFilled}) ||
		len(fills) != 1 || len(positions) != 1 {
		t.Fatalf("store got orders %v, %d fills, %d positions", status, len(fills), len(positions))
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f := journalFiles(t, dir); len(f) != 0 {
		t.Fatalf("journal files %v left once the store held them", f)
	}
}

// What the store never took stays in the journal across a stop, and the
// next start writes it to the store (Recover) before anything newer.
func TestJournalKeptForTheNextStart(t *testing.T) {
	d := &flakyDurable{err: errDown}
	dir := t.TempDir()
	r := durableRecorder(t, d, dir)
	r.Start(context.Background())
	trade(t, r, order1)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := r.Close(ctx); err == nil {
		t.Fatal("Close with the store down reported nothing left behind")
	}
	// A crash in the middle of an append leaves a torn last line.
	files := journalFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("journal files %v, want one", files)
	}
	f, err := os.OpenFile(files[0], os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(`{"o":{"ID":2,"Sta`)
	f.Close()

	d.setErr(nil)
	r = durableRecorder(t, d, dir)
	if err := r.Recover(ctx); err == nil {
		t.Fatal("Recover returned before the writer started")
	}
	r.Start(context.Background())
	o2 := order1
	o2.ID, o2.Seq = 3, 2
	if err := r.SaveOrder(context.Background(), o2); err != nil {
		t.Fatal(err)
	}
	rctx, rcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer rcancel()
	if err := r.Recover(rctx); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	orders, fills, _ := d.kept()
	var ids []int64
	for _, o := range orders {
		ids = append(ids, o.ID)
	}
	if !slices.Equal(ids, []int64{1, 1, 1, 3}) || orders[2].Status != market.OrderFilled || len(fills) != 1 {
		t.Fatalf("store got orders %v (last of 1: %v), %d fills; want 1 three times, filled, then 3", ids, orders[2].Status, len(fills))
	}
	if f := journalFiles(t, dir); len(f) != 0 {
		t.Fatalf("journal files %v left", f)
	}
}

func TestJournalRefusesBadInputAtOnce(t *testing.T) {
	d := &flakyDurable{}
	r := durableRecorder(t, d, "")
	ctx := context.Background()
	bad := order1
	bad.Qty = 0
	for name, err := range map[string]error{
		"order":    r.SaveOrder(ctx, bad),
		"fill":     r.SaveFill(ctx, market.Fill{OrderID: 1, Symbol: "005930", Side: market.Buy, Qty: 1}),
		"position": r.SavePosition(ctx, "", market.Position{Symbol: "005930"}),
	} {
		var fe *market.FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: err %v, want a FieldError", name, err)
		}
	}
	if d.calls != 0 {
		t.Fatalf("%d store calls for bad input", d.calls)
	}
}

func TestStrategyStateWaitsForTheStore(t *testing.T) {
	d := &flakyDurable{failFirst: 4}
	r := durableRecorder(t, d, "")
	if err := r.SaveStrategyState(context.Background(), "a", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if d.calls != 5 {
		t.Fatalf("calls %d; want 5", d.calls)
	}
}

func TestStrategyStateGivesUp(t *testing.T) {
	cases := []struct {
		name      string
		err       error
		wantCalls int // 0: more than one
		wantIs    error
	}{
		{"bad input is not retried", &market.FieldError{Type: "state", Field: "strategy", Msg: "empty"}, 1, nil},
		{"store down until the deadline", errDown, 0, errDown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := &flakyDurable{err: c.err}
			r := durableRecorder(t, d, "")
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			err := r.SaveStrategyState(ctx, "a", []byte("{}"))
			if err == nil {
				t.Fatal("SaveStrategyState succeeded")
			}
			var fe *market.FieldError
			if c.wantCalls == 1 && (d.calls != 1 || !errors.As(err, &fe)) {
				t.Fatalf("calls %d, err %v; want one call and the FieldError", d.calls, err)
			}
			if c.wantIs != nil && (!errors.Is(err, c.wantIs) || d.calls < 2) {
				t.Fatalf("calls %d, err %v; want retries then %v", d.calls, err, c.wantIs)
			}
		})
	}
}

func TestNoDurableStore(t *testing.T) {
	r := durableRecorder(t, nil, "")
	if err := r.SaveOrder(context.Background(), order1); !errors.Is(err, record.ErrNoDurable) {
		t.Fatalf("SaveOrder = %v, want ErrNoDurable", err)
	}
}
