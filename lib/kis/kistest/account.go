package kistest

import (
	"fmt"
	"strconv"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// order is one order as the server's books keep it.
type order struct {
	Branch, No, OrigNo string
	Symbol             market.Symbol
	Side               market.Side
	Kind               string // ORD_DVSN
	Qty, Price         int64
	At                 time.Time
	Filled, FillValue  int64
	Gone               int64 // shares cancelled or moved to a modified order
	Cancelled          bool  // cancelled or replaced (modify); nothing remains
	IsRevision         bool  // a cancel record (a modify creates a new order with OrigNo)
}

func (o *order) remaining() int64 {
	if o.Cancelled || o.IsRevision {
		return 0
	}
	return o.Qty - o.Filled - o.Gone
}

type position struct{ qty, cost int64 }

type account struct {
	cash   int64
	pos    map[market.Symbol]*position
	orders []*order
	next   int
}

func newAccount(cash int64) account {
	return account{cash: cash, pos: map[market.Symbol]*position{}, next: 10000}
}

func (a *account) newNo(real bool) string {
	a.next++
	if real {
		return fmt.Sprintf("%010d", a.next)
	}
	return strconv.Itoa(a.next)
}

// find returns the order with number no (leading zeros ignored).
func (a *account) find(no string) *order {
	want, _ := strconv.ParseInt(no, 10, 64)
	for _, o := range a.orders {
		if n, _ := strconv.ParseInt(o.No, 10, 64); n == want && want != 0 {
			return o
		}
	}
	return nil
}

// held is the shares of sym held minus those resting in sell orders.
func (a *account) sellable(sym market.Symbol) int64 {
	n := int64(0)
	if p := a.pos[sym]; p != nil {
		n = p.qty
	}
	for _, o := range a.orders {
		if o.Symbol == sym && o.Side == market.Sell && !o.IsRevision {
			n -= o.remaining()
		}
	}
	return n
}

// fill applies an execution to the account.
func (a *account) fill(o *order, qty, price int64) {
	o.Filled += qty
	o.FillValue += qty * price
	p := a.pos[o.Symbol]
	if p == nil {
		p = &position{}
		a.pos[o.Symbol] = p
	}
	if o.Side == market.Buy {
		a.cash -= qty * price
		p.qty += qty
		p.cost += qty * price
		return
	}
	a.cash += qty * price
	if p.qty > 0 {
		p.cost -= p.cost * qty / p.qty
	}
	p.qty -= qty
}

// Order is an order as the server sees it, for test assertions.
type Order struct {
	No, OrigNo string
	Symbol     market.Symbol
	Side       market.Side
	Qty, Price int64
	Filled     int64
	Cancelled  bool
}

// Orders lists every order the server accepted (new orders only, not
// modify/cancel records), oldest first.
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Order
	for _, o := range s.acct.orders {
		if !o.IsRevision {
			out = append(out, Order{No: o.No, OrigNo: o.OrigNo, Symbol: o.Symbol, Side: o.Side, Qty: o.Qty,
				Price: o.Price, Filled: o.Filled, Cancelled: o.Cancelled})
		}
	}
	return out
}

// Cash is the account's cash, won.
func (s *Server) Cash() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acct.cash
}

// Position is the shares of sym held and their cost, won.
func (s *Server) Position(sym market.Symbol) (qty, cost int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.acct.pos[sym]; p != nil {
		return p.qty, p.cost
	}
	return 0, 0
}
