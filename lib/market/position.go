package market

import (
	"fmt"
	"math/bits"
)

// Position is a long holding in one symbol under average-cost accounting.
//
// Cost is the total won paid for the shares held (trade value only; fees
// and taxes are accounted as cash, not as cost basis). A buy adds its value
// to Cost. A sell removes the sold shares' share of Cost,
// Cost × sold / Qty rounded toward zero, and books the difference between
// the sale value and that removed cost as realised P&L. Selling the whole
// position removes all of Cost, so no won is ever lost to rounding. KRX
// cash accounts cannot go short, so Qty is never negative.
type Position struct {
	Symbol   Symbol
	Qty      int64 // shares held
	Cost     int64 // cost basis of the shares held, won
	Realized int64 // realised P&L from sells, won, before fees and taxes
}

// AvgPrice is the average cost per share held, in won, or 0 when flat.
func (p *Position) AvgPrice() float64 {
	if p.Qty == 0 {
		return 0
	}
	return float64(p.Cost) / float64(p.Qty)
}

// MarketValue is the position valued at price.
func (p *Position) MarketValue(price int64) int64 { return p.Qty * price }

// Unrealized is the P&L of the shares held if sold at price.
func (p *Position) Unrealized(price int64) int64 { return p.Qty*price - p.Cost }

// Apply updates the position with a fill of its symbol. A sell of more than
// is held is an error and changes nothing.
func (p *Position) Apply(f *Fill) error {
	if f.Symbol != p.Symbol {
		return fmt.Errorf("position %s: fill for %s", p.Symbol, f.Symbol)
	}
	switch f.Side {
	case Buy:
		p.Qty += f.Qty
		p.Cost += f.Value()
	case Sell:
		if f.Qty > p.Qty {
			return fmt.Errorf("position %s: sell of %d shares, %d held", p.Symbol, f.Qty, p.Qty)
		}
		removed := p.Cost
		if f.Qty < p.Qty {
			removed = mulDiv(p.Cost, f.Qty, p.Qty)
		}
		p.Realized += f.Value() - removed
		p.Cost -= removed
		p.Qty -= f.Qty
	default:
		return fmt.Errorf("position %s: fill side %s", p.Symbol, f.Side)
	}
	return nil
}

// mulDiv returns a×b/c rounded toward zero for non-negative a, b and c > b,
// in 128 bits so that a large cost basis times a large quantity cannot
// overflow.
func mulDiv(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(q)
}
