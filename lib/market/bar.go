package market

import "time"

// Bar is an OHLCV summary of the trades in [Start, Start+Timeframe).
type Bar struct {
	Symbol    Symbol
	Timeframe Timeframe
	Start     time.Time
	Open      int64
	High      int64
	Low       int64
	Close     int64
	Volume    int64
}

// End is the instant the bar closes (exclusive).
func (b *Bar) End() time.Time { return b.Start.Add(time.Duration(b.Timeframe)) }

// Validate checks the bar's fields; the error names the first bad one.
func (b *Bar) Validate() error {
	switch {
	case b.Symbol.Validate() != nil:
		return fieldErr("bar", "symbol", "%v", b.Symbol.Validate())
	case !b.Timeframe.Valid():
		return fieldErr("bar", "timeframe", "%s is not supported", b.Timeframe)
	case b.Start.IsZero():
		return fieldErr("bar", "start", "missing")
	case b.Open <= 0:
		return fieldErr("bar", "open", "%d is not positive", b.Open)
	case b.Low <= 0:
		return fieldErr("bar", "low", "%d is not positive", b.Low)
	case b.High < max(b.Open, b.Close, b.Low):
		return fieldErr("bar", "high", "%d below open, close or low", b.High)
	case b.Low > min(b.Open, b.Close):
		return fieldErr("bar", "low", "%d above open or close", b.Low)
	case b.Close <= 0:
		return fieldErr("bar", "close", "%d is not positive", b.Close)
	case b.Volume < 0:
		return fieldErr("bar", "volume", "%d is negative", b.Volume)
	}
	return nil
}
