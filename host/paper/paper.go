// Package paper is a simulated broker: orders work against the market
// data the engine sees, filled by lib/fill's model with KRX fees and taxes.
// One Broker serves one strategy's account, so strategies never trade
// against each other's orders.
//
// The engine keeps the account (cash, positions); the broker is only the
// venue. A Broker is used from the engine's goroutine and is not safe for
// concurrent use.
package paper

import (
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/fill"
	"github.com/qbtrading/qb/lib/market"
)

// DefaultCash is the starting cash of a paper account, in won; the engine
// uses it unless configured otherwise (qb's --cash).
const DefaultCash = 100_000_000

// Broker is a paper venue for one account.
type Broker struct {
	m   *fill.Model
	now time.Time // time of the last tick or order seen
}

// New returns a Broker filling by cfg (slippage, volume cap, latency,
// fees); fill.DefaultConfig is the usual choice.
func New(cfg fill.Config) (*Broker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("paper: %w", err)
	}
	return &Broker{m: fill.New(cfg)}, nil
}

// Submit puts a new order to work from o.Created (plus the model's
// latency). The engine then reports it accepted.
func (b *Broker) Submit(o market.Order) error {
	if o.Created.After(b.now) {
		b.now = o.Created
	}
	if err := b.m.Submit(o, o.Created); err != nil {
		return fmt.Errorf("paper: %w", err)
	}
	return nil
}

// Cancel stops a working order at the time of the last event seen.
func (b *Broker) Cancel(id int64) error {
	if !b.m.Cancel(id, b.now) {
		return fmt.Errorf("paper: cancel order %d: not working", id)
	}
	return nil
}

// OnTick lets the working orders trade against t and appends the fills,
// with fee and tax, to dst.
func (b *Broker) OnTick(t *market.Tick, dst []market.Fill) []market.Fill {
	if t.Time.After(b.now) {
		b.now = t.Time
	}
	return b.m.OnTick(t, dst)
}

// Open returns the number of orders still working.
func (b *Broker) Open() int { return b.m.Open() }
