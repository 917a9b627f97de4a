package market

import "time"

// Fill is one execution of (part of) an order.
type Fill struct {
	OrderID  int64 // the order's ID
	OrderSeq int64 // the order's Seq: the id its strategy and report see
	Strategy string
	Symbol   Symbol
	Side     Side
	Qty      int64 // shares
	Price    int64 // won per share
	Fee      int64 // broker commission, won
	Tax      int64 // securities transaction tax, won (sells only)
	Time     time.Time
}

// Value is the gross traded amount, Qty × Price.
func (f *Fill) Value() int64 { return f.Qty * f.Price }

// CashDelta is the change to cash the fill causes: a buy pays value plus
// fees; a sell receives value minus fees and tax.
func (f *Fill) CashDelta() int64 {
	if f.Side == Buy {
		return -f.Value() - f.Fee - f.Tax
	}
	return f.Value() - f.Fee - f.Tax
}

// Validate checks the fill's fields; the error names the first bad one.
func (f *Fill) Validate() error {
	switch {
	case f.Symbol.Validate() != nil:
		return fieldErr("fill", "symbol", "%v", f.Symbol.Validate())
	case !f.Side.Valid():
		return fieldErr("fill", "side", "%s is not BUY or SELL", f.Side)
	case f.Qty <= 0:
		return fieldErr("fill", "qty", "%d is not positive", f.Qty)
	case f.Price <= 0:
		return fieldErr("fill", "price", "%d is not positive", f.Price)
	case f.Fee < 0:
		return fieldErr("fill", "fee", "%d is negative", f.Fee)
	case f.Tax < 0:
		return fieldErr("fill", "tax", "%d is negative", f.Tax)
	case f.Time.IsZero():
		return fieldErr("fill", "time", "missing")
	}
	return nil
}
