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

	// From is set on a tick that was not seen but made from a bar (a
	// replay of bar data): one point of an assumed path through the bar.
	From BarPoint
}

// BarPoint says which bar a made-up tick stands for. The zero BarPoint
// marks a trade that printed.
type BarPoint struct {
	Frame     Timeframe // the bar's timeframe; 0 on a real trade
	Low, High int64     // the bar's range: no fill is priced outside it
	Open      bool      // the tick is the bar's open, its first price
}

// Synthetic reports whether t was made from a bar rather than seen.
func (t *Tick) Synthetic() bool { return t.From.Frame != 0 }

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
	case t.Synthetic() && (t.Price < t.From.Low || t.Price > t.From.High):
		return fieldErr("tick", "price", "%d outside its bar's range %d..%d", t.Price, t.From.Low, t.From.High)
	}
	return nil
}
