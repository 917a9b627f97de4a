package market

import (
	"errors"
	"testing"
	"time"
)

// Orders and fills that could not have happened are refused by Validate,
// which names the field: an order for no shares, a fill at no price.
func TestOrderAndFillValidate(t *testing.T) {
	now := time.Date(2024, 3, 4, 9, 0, 0, 0, Seoul)
	order := Order{ID: 1, Symbol: "005930", Side: Buy, Type: LimitOrder, Qty: 10, Price: 70_000, Created: now, Status: OrderNew}
	fill := Fill{OrderID: 1, Symbol: "005930", Side: Buy, Qty: 10, Price: 70_000, Time: now}
	orders := []struct {
		name  string
		edit  func(*Order)
		field string
	}{
		{"valid", func(*Order) {}, ""},
		{"one share", func(o *Order) { o.Qty = 1 }, ""},
		{"no shares", func(o *Order) { o.Qty = 0 }, "qty"},
		{"negative shares", func(o *Order) { o.Qty = -5 }, "qty"},
		{"limit at 0", func(o *Order) { o.Price = 0 }, "price"},
		{"market with a price", func(o *Order) { o.Type = MarketOrder }, "price"},
		{"GTC at the cap", func(o *Order) { o.Sessions = MaxSessions }, ""},
		{"GTC over the cap", func(o *Order) { o.Sessions = MaxSessions + 1 }, "sessions"},
		{"overfilled", func(o *Order) { o.FilledQty = 11 }, "filled_qty"},
	}
	for _, tc := range orders {
		o := order
		tc.edit(&o)
		checkField(t, "order "+tc.name, o.Validate(), tc.field)
	}
	fills := []struct {
		name  string
		edit  func(*Fill)
		field string
	}{
		{"valid", func(*Fill) {}, ""},
		{"price 1", func(f *Fill) { f.Price = 1 }, ""},
		{"price 0", func(f *Fill) { f.Price = 0 }, "price"},
		{"negative price", func(f *Fill) { f.Price = -70_000 }, "price"},
		{"no shares", func(f *Fill) { f.Qty = 0 }, "qty"},
	}
	for _, tc := range fills {
		f := fill
		tc.edit(&f)
		checkField(t, "fill "+tc.name, f.Validate(), tc.field)
	}
}

// checkField wants err nil when field is "", else a *FieldError on field.
func checkField(t *testing.T, name string, err error, field string) {
	t.Helper()
	var fe *FieldError
	switch {
	case field == "" && err != nil:
		t.Errorf("%s: %v, want valid", name, err)
	case field != "" && (!errors.As(err, &fe) || fe.Field != field):
		t.Errorf("%s: %v, want an error on %s", name, err, field)
	}
}

// An order's life is its Sessions, and an order that sets none is a day
// order: one session, never zero.
func TestOrderLifetime(t *testing.T) {
	for _, tc := range []struct{ sessions, want int }{{0, 1}, {1, 1}, {5, 5}, {MaxSessions, MaxSessions}} {
		o := Order{Sessions: tc.sessions}
		if got := o.Lifetime(); got != tc.want {
			t.Errorf("Lifetime of Sessions %d = %d, want %d", tc.sessions, got, tc.want)
		}
	}
}
