package market

import (
	"fmt"
	"time"
)

// OrderStatus is where an order is in its life cycle:
//
//	New → Accepted → PartiallyFilled → Filled
//	New → Rejected
//	Accepted | PartiallyFilled → Cancelled
//
// Filled, Cancelled and Rejected are final.
type OrderStatus int8

// The order states.
const (
	OrderNew OrderStatus = iota + 1
	OrderAccepted
	OrderPartiallyFilled
	OrderFilled
	OrderCancelled
	OrderRejected
)

var statusNames = [...]string{"", "new", "accepted", "partially_filled", "filled", "cancelled", "rejected"}

// String returns the status in lower snake case ("partially_filled").
func (s OrderStatus) String() string {
	if s > 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("OrderStatus(%d)", int8(s))
}

// ParseOrderStatus reads a status written by String.
func ParseOrderStatus(s string) (OrderStatus, error) {
	for i := 1; i < len(statusNames); i++ {
		if statusNames[i] == s {
			return OrderStatus(i), nil
		}
	}
	return 0, fmt.Errorf("order status %q: unknown", s)
}

// Final reports whether no further change can happen to an order in s.
func (s OrderStatus) Final() bool {
	return s == OrderFilled || s == OrderCancelled || s == OrderRejected
}

// Open reports whether an order in s is working at the venue.
func (s OrderStatus) Open() bool {
	return s == OrderAccepted || s == OrderPartiallyFilled
}

// Order is a request to trade and its progress.
type Order struct {
	ID       int64 // assigned by the host, unique across its strategies and runs: the key of storage and brokers
	Seq      int64 // the order's number among its strategy's orders, from 1: the id the strategy and its report see
	Strategy string
	Symbol   Symbol
	Side     Side
	Type     OrderType
	Qty      int64 // shares ordered
	Price    int64 // limit price in won; 0 for a market order
	Created  time.Time
	// Sessions is how many trading sessions the order may work in before
	// it expires (see Lifetime): 1, or 0 which reads as 1, for a day
	// order; 2..MaxSessions for a good-till-cancelled one.
	Sessions int

	Status    OrderStatus
	FilledQty int64  // shares filled so far
	Reason    string // why it was rejected or cancelled
	Updated   time.Time
}

// MaxSessions caps a good-till-cancelled order's life: 60 trading
// sessions, about three months, after which it expires like a day order.
// A cap keeps a forgotten order from trading on a market its strategy no
// longer watches.
const MaxSessions = 60

// Lifetime returns the sessions o may work in: Sessions, or 1 when unset.
func (o *Order) Lifetime() int { return max(o.Sessions, 1) }

// Remaining is the quantity still to fill.
func (o *Order) Remaining() int64 { return o.Qty - o.FilledQty }

// Validate checks an order as submitted; the error names the first bad field.
func (o *Order) Validate() error {
	switch {
	case o.Symbol.Validate() != nil:
		return fieldErr("order", "symbol", "%v", o.Symbol.Validate())
	case !o.Side.Valid():
		return fieldErr("order", "side", "%s is not BUY or SELL", o.Side)
	case !o.Type.Valid():
		return fieldErr("order", "type", "%s is not MARKET or LIMIT", o.Type)
	case o.Qty <= 0:
		return fieldErr("order", "qty", "%d is not positive", o.Qty)
	case o.Type == LimitOrder && o.Price <= 0:
		return fieldErr("order", "price", "limit price %d is not positive", o.Price)
	case o.Type == MarketOrder && o.Price != 0:
		return fieldErr("order", "price", "market order has price %d, want 0", o.Price)
	case o.Sessions < 0 || o.Sessions > MaxSessions:
		return fieldErr("order", "sessions", "%d outside 0..%d", o.Sessions, MaxSessions)
	case o.FilledQty < 0 || o.FilledQty > o.Qty:
		return fieldErr("order", "filled_qty", "%d outside 0..%d", o.FilledQty, o.Qty)
	}
	return nil
}

// Accept moves a new order to Accepted.
func (o *Order) Accept(at time.Time) error {
	return o.transition(OrderAccepted, at, "")
}

// Reject moves a new order to Rejected with a reason.
func (o *Order) Reject(at time.Time, reason string) error {
	return o.transition(OrderRejected, at, reason)
}

// Cancel moves a working order to Cancelled.
func (o *Order) Cancel(at time.Time, reason string) error {
	return o.transition(OrderCancelled, at, reason)
}

// ApplyFill records qty shares filled, moving the order to PartiallyFilled
// or Filled. Filling more than remains is an error and changes nothing.
func (o *Order) ApplyFill(at time.Time, qty int64) error {
	if qty <= 0 || qty > o.Remaining() {
		return fmt.Errorf("order %d: fill of %d shares: %d remain", o.ID, qty, o.Remaining())
	}
	next := OrderPartiallyFilled
	if qty == o.Remaining() {
		next = OrderFilled
	}
	if err := o.transition(next, at, ""); err != nil {
		return err
	}
	o.FilledQty += qty
	return nil
}

// allowed lists the legal transitions; anything else is a bug upstream.
var allowed = map[[2]OrderStatus]bool{
	{OrderNew, OrderAccepted}:                    true,
	{OrderNew, OrderRejected}:                    true,
	{OrderAccepted, OrderPartiallyFilled}:        true,
	{OrderAccepted, OrderFilled}:                 true,
	{OrderAccepted, OrderCancelled}:              true,
	{OrderPartiallyFilled, OrderPartiallyFilled}: true,
	{OrderPartiallyFilled, OrderFilled}:          true,
	{OrderPartiallyFilled, OrderCancelled}:       true,
}

func (o *Order) transition(to OrderStatus, at time.Time, reason string) error {
	if !allowed[[2]OrderStatus{o.Status, to}] {
		return fmt.Errorf("order %d: cannot go from %s to %s", o.ID, o.Status, to)
	}
	o.Status, o.Updated = to, at
	if reason != "" {
		o.Reason = reason
	}
	return nil
}
