package sim

import (
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// Config describes a simulated market. The zero Config is valid: the
// default instruments from DefaultStart, one tick a market second.
type Config struct {
	Seed         uint64        // same seed, same ticks
	Symbols      []Instrument  // empty means Instruments()
	Start        time.Time     // market time of the first tick; zero means DefaultStart()
	TickInterval time.Duration // market time between two ticks of any symbol; 0 means DefaultTickInterval
	Calendar     *krx.Calendar // trading days and hours; nil means weekdays, 09:00–15:30 KST
}

// DefaultTickInterval gives 23,400 ticks in a regular session, about 4,700
// per symbol with the five default instruments.
const DefaultTickInterval = time.Second

// DefaultStart returns the market time of the first tick when Config.Start
// is zero: the open of Monday 5 January 2026. A fixed date, so that a
// default simulation is the same run after run.
func DefaultStart() time.Time { return time.Date(2026, time.January, 5, 9, 0, 0, 0, market.Seoul) }

// Validate reports the first invalid field, as a *market.FieldError whose
// Field names it ("symbols[1].price").
func (c *Config) Validate() error {
	if c.TickInterval < 0 {
		return cfgErr("tick_interval", "%v is negative", c.TickInterval)
	}
	seen := make(map[market.Symbol]int, len(c.Symbols))
	for i := range c.Symbols {
		if j, dup := seen[c.Symbols[i].Symbol]; dup {
			return cfgErr(fmt.Sprintf("symbols[%d].symbol", i), "%s repeats symbols[%d]", c.Symbols[i].Symbol, j)
		}
		seen[c.Symbols[i].Symbol] = i
		if err := c.Symbols[i].validate(i); err != nil {
			return err
		}
	}
	return nil
}

func (in *Instrument) validate(i int) error {
	field := func(name string) string { return fmt.Sprintf("symbols[%d].%s", i, name) }
	switch {
	case in.Symbol.Validate() != nil:
		return cfgErr(field("symbol"), "%v", in.Symbol.Validate())
	case !krx.OnGrid(in.Price):
		return cfgErr(field("price"), "%d is not a positive price on the KRX tick grid (tick %d)",
			in.Price, krx.TickSize(in.Price))
	case in.Vol < 0 || in.Vol > MaxVol:
		return cfgErr(field("vol"), "%d basis points is outside 0..%d", in.Vol, MaxVol)
	case in.Lot < 0 || in.Lot > MaxLot:
		return cfgErr(field("lot"), "%d shares is outside 0..%d", in.Lot, MaxLot)
	}
	return nil
}

func cfgErr(field, format string, args ...any) error {
	return &market.FieldError{Type: "sim config", Field: field, Msg: fmt.Sprintf(format, args...)}
}

// withDefaults returns c with its zero fields filled in and its own copy of
// the instruments.
func (c Config) withDefaults() Config {
	if len(c.Symbols) == 0 {
		c.Symbols = Instruments()
	} else {
		c.Symbols = append([]Instrument(nil), c.Symbols...)
	}
	for i := range c.Symbols {
		in := &c.Symbols[i]
		if in.Vol == 0 {
			in.Vol = DefaultVol
		}
		if in.Lot == 0 {
			in.Lot = DefaultLot
		}
	}
	if c.Start.IsZero() {
		c.Start = DefaultStart()
	}
	if c.TickInterval == 0 {
		c.TickInterval = DefaultTickInterval
	}
	return c
}
