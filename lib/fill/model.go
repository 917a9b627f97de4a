package fill

import (
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Model is a paper venue: it holds working orders and fills them against
// the prints passed to OnTick. Create it with New.
type Model struct {
	cfg    Config
	cfgErr error     // from cfg.Validate; every Submit reports it
	orders []working // in submission order
}

// working is an order resting at the paper venue.
type working struct {
	order market.Order
	live  time.Time // submit time + latency: prints must be strictly later
}

// New returns a model with no working orders. An invalid cfg is reported
// by every Submit, so a misconfigured model never fills anything.
func New(cfg Config) *Model {
	return &Model{cfg: cfg, cfgErr: cfg.Validate()}
}

// Submit places an order at market time at; it becomes live at
// at + Latency. A new order is accepted (its status moves to Accepted); one
// already accepted or partially filled keeps its fills and works its
// remainder. Submit rejects an invalid order, a finished one, a limit price
// off the KRX tick grid (as the exchange would) and an ID already working.
func (m *Model) Submit(o market.Order, at time.Time) error {
	if m.cfgErr != nil {
		return fmt.Errorf("submit order %d: %w", o.ID, m.cfgErr)
	}
	if err := m.check(&o, at); err != nil {
		return fmt.Errorf("submit order %d: %w", o.ID, err)
	}
	if o.Status == market.OrderNew {
		if err := o.Accept(at); err != nil {
			return fmt.Errorf("submit order %d: %w", o.ID, err)
		}
	}
	m.orders = append(m.orders, working{order: o, live: at.Add(m.cfg.Latency)})
	return nil
}

func (m *Model) check(o *market.Order, at time.Time) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if o.Status != market.OrderNew && !o.Status.Open() {
		return fmt.Errorf("status %s: only new or working orders can be placed", o.Status)
	}
	if grid := m.cfg.Fees.Listing.Grid(at, o.Symbol); o.Type == market.LimitOrder && !grid.OnGrid(o.Price) {
		return fmt.Errorf("limit price %d is not on the KRX tick grid (tick %d won)", o.Price, grid.TickSize(o.Price))
	}
	if m.index(o.ID) >= 0 {
		return fmt.Errorf("an order with this ID is already working")
	}
	return nil
}

// Cancel withdraws a working order at once (market time at; Latency does not
// delay cancels) and reports whether it was working: false means it had
// already filled, been cancelled or never been submitted. Recording the
// cancellation on the caller's copy of the order is the caller's job.
func (m *Model) Cancel(id int64, at time.Time) bool {
	i := m.index(id)
	if i < 0 {
		return false
	}
	copy(m.orders[i:], m.orders[i+1:])
	m.orders[len(m.orders)-1] = working{}
	m.orders = m.orders[:len(m.orders)-1]
	return true
}

// Open is the number of orders still working.
func (m *Model) Open() int { return len(m.orders) }

// Orders appends copies of the working orders, in submission order, to dst,
// with their fill progress so far.
func (m *Model) Orders(dst []market.Order) []market.Order {
	for i := range m.orders {
		dst = append(dst, m.orders[i].order)
	}
	return dst
}

func (m *Model) index(id int64) int {
	for i := range m.orders {
		if m.orders[i].order.ID == id {
			return i
		}
	}
	return -1
}
