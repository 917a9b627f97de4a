package market

import "time"

// Tick is one trade print, optionally with the best quotes at that moment.
type Tick struct {
	Time   time.Time
	Symbol Symbol
	Price  int64 // trade price, won
	Volume int64 // shares traded in this print
	Bid    int64 // best bid, won; 0 when unknown
	Ask    int64 // best ask, won; 0 when unknown
	Seq    int64 // feed sequence number when the feed has one; 0 otherwise
}

// Validate checks the tick's fields; the error names the first bad one.
func (t *Tick) Validate() error {
	switch {
	case t.Time.IsZero():
		return fieldErr("tick", "time", "missing")
	case t.Symbol.Validate() != nil:
		return fieldErr("tick", "symbol", "%v", t.Symbol.Validate())
	case t.Price <= 0:
		return fieldErr("tick", "price", "%d is not positive", t.Price)
	case t.Volume < 0:
		return fieldErr("tick", "volume", "%d is negative", t.Volume)
	case t.Bid < 0:
		return fieldErr("tick", "bid", "%d is negative", t.Bid)
	case t.Ask < 0:
		return fieldErr("tick", "ask", "%d is negative", t.Ask)
	case t.Bid > 0 && t.Ask > 0 && t.Bid > t.Ask:
		return fieldErr("tick", "bid", "%d above ask %d", t.Bid, t.Ask)
	}
	return nil
}
