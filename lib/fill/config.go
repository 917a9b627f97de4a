package fill

import (
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/krx"
)

// Config sets how the model fills orders. The zero Config fills market
// orders at the next print with no slippage, no volume cap, no latency and
// no fees.
type Config struct {
	// SlippageTicks moves a market order's fill price this many KRX ticks
	// against the trader from the trade price. Not negative.
	SlippageTicks int
	// CapToVolume limits each print to filling its own volume, shared by
	// orders in submission order.
	CapToVolume bool
	// Latency is the market time between Submit and the order becoming live
	// at the venue. Not negative.
	Latency time.Duration
	// Fees prices each fill's commission and tax, from the fill's trade
	// date and its symbol's market.
	Fees krx.Tariff
	// LimitFillOnTouch fills a limit order on a print at its limit price,
	// not only on one through it.
	LimitFillOnTouch bool
}

// DefaultConfig is the model qb's paper broker uses unless told otherwise:
// one tick of slippage on market orders (a KRX large cap usually quotes a
// one-tick spread, and a taker crosses it), fills capped at printed volume,
// no latency beyond the strict no-look-ahead rule, fills on limit prices
// only when the market trades through them, and krx.DefaultTariff.
func DefaultConfig() Config {
	return Config{SlippageTicks: 1, CapToVolume: true, Fees: krx.DefaultTariff()}
}

// Validate checks the configuration; the error names the bad field.
func (c Config) Validate() error {
	switch {
	case c.SlippageTicks < 0:
		return fmt.Errorf("fill config: slippage_ticks: %d is negative", c.SlippageTicks)
	case c.Latency < 0:
		return fmt.Errorf("fill config: latency: %s is negative", c.Latency)
	}
	if err := c.Fees.Validate(); err != nil {
		return fmt.Errorf("fill config: %w", err)
	}
	return nil
}
