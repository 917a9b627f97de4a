package ta

import "github.com/qbtrading/qb/lib/market"

// Bar is the input of bar-based indicators: one period's prices and volume
// as float64, the type every indicator computes in.
type Bar struct{ Open, High, Low, Close, Volume float64 }

// FromBar converts a market bar (whole won, whole shares) to an indicator
// input. The conversion is exact: KRX prices and volumes are far below 2^53.
func FromBar(b market.Bar) Bar {
	return Bar{
		Open: float64(b.Open), High: float64(b.High), Low: float64(b.Low),
		Close: float64(b.Close), Volume: float64(b.Volume),
	}
}

// Indicator is the shape of every streaming indicator. Updates cost O(1)
// amortised (O(n) for the dispersion family) and never allocate.
type Indicator interface {
	// UpdateBar feeds one closed bar. Value indicators use its Close.
	UpdateBar(b Bar)
	// Value is the primary output; NaN until Ready.
	Value() float64
	// Ready reports whether enough input has been seen for Value to be defined.
	Ready() bool
	// Reset forgets all input, as if freshly constructed.
	Reset()
}

// ValueIndicator is an Indicator over a single series (usually closes),
// which can also be fed plain values.
type ValueIndicator interface {
	Indicator
	// Update feeds the next value of the series.
	Update(v float64)
}

// Multi is an indicator with several outputs (MACD, Bollinger Bands,
// Stochastics). Output(0) is the same as Value().
type Multi interface {
	Indicator
	// Outputs names the outputs in order, e.g. {"macd", "signal", "hist"}.
	// The slice is shared and must not be modified.
	Outputs() []string
	// Output returns output i; NaN until Ready or when i is out of range.
	Output(i int) float64
}
