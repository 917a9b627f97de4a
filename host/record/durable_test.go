package record_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/record"
	"github.com/qbtrading/qb/lib/market"
)

// flakyDurable fails the first failFirst calls, then keeps what it is given.
type flakyDurable struct {
	mu        sync.Mutex
	failFirst int
	calls     int
	orders    []market.Order
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

func (d *flakyDurable) SaveOrder(_ context.Context, o market.Order) error {
	if err := d.call(); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.orders = append(d.orders, o)
	return nil
}
func (d *flakyDurable) SaveFill(context.Context, market.Fill) error { return d.call() }
func (d *flakyDurable) SavePosition(context.Context, string, market.Position) error {
	return d.call()
}
func (d *flakyDurable) SaveStrategyState(context.Context, string, []byte) error { return d.call() }

func durableRecorder(t *testing.T, d record.Durable) *record.Recorder {
	t.Helper()
	r, err := record.New(record.Config{Store: &memStore{}, Durable: d, Dir: t.TempDir(),
		MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDurableWaitsForTheStore(t *testing.T) {
	d := &flakyDurable{failFirst: 4}
	r := durableRecorder(t, d)
	o := market.Order{ID: 1, Symbol: "005930", Side: market.Buy, Type: market.MarketOrder, Qty: 1, Status: market.OrderNew}
	if err := r.SaveOrder(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if d.calls != 5 || len(d.orders) != 1 {
		t.Fatalf("calls %d, orders %d; want 5 and 1", d.calls, len(d.orders))
	}
	for name, call := range map[string]func(context.Context) error{
		"fill":     func(ctx context.Context) error { return r.SaveFill(ctx, market.Fill{}) },
		"position": func(ctx context.Context) error { return r.SavePosition(ctx, "a", market.Position{}) },
		"state":    func(ctx context.Context) error { return r.SaveStrategyState(ctx, "a", []byte("{}")) },
	} {
		if err := call(context.Background()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestDurableGivesUp(t *testing.T) {
	cases := []struct {
		name      string
		err       error
		wantCalls int // 0: more than one
		wantIs    error
	}{
		{"bad input is not retried", &market.FieldError{Type: "order", Field: "qty", Msg: "0 is not positive"}, 1, nil},
		{"store down until the deadline", errDown, 0, errDown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := &flakyDurable{err: c.err}
			r := durableRecorder(t, d)
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			err := r.SaveOrder(ctx, market.Order{ID: 9})
			if err == nil {
				t.Fatal("SaveOrder succeeded")
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
	r := durableRecorder(t, nil)
	if err := r.SaveOrder(context.Background(), market.Order{}); !errors.Is(err, record.ErrNoDurable) {
		t.Fatalf("SaveOrder = %v, want ErrNoDurable", err)
	}
}
