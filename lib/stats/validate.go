package stats

import (
	"fmt"

	"github.com/qbtrading/qb/lib/market"
)

// Validate reports the first problem that would make Compute's figures
// meaningless: an equity point out of time order or negative, a first
// equity that is not positive, an invalid fill, fills out of time order, or
// a sell of more shares than the fills before it bought. The error names
// the index (equity[i] or fills[i]) and the field.
func Validate(equity []Point, fills []market.Fill) error {
	if err := validateEquity(equity); err != nil {
		return err
	}
	return validateFills(fills)
}

func validateEquity(eq []Point) error {
	if len(eq) > 0 && eq[0].Equity <= 0 {
		return fmt.Errorf("equity[0]: equity %d: starting equity is not positive", eq[0].Equity)
	}
	for i, p := range eq {
		switch {
		case p.Time.IsZero():
			return fmt.Errorf("equity[%d]: time missing", i)
		case p.Equity < 0:
			return fmt.Errorf("equity[%d]: equity %d is negative", i, p.Equity)
		case i > 0 && p.Time.Before(eq[i-1].Time):
			return fmt.Errorf("equity[%d]: time %s before equity[%d]'s %s",
				i, p.Time.Format(timeLayout), i-1, eq[i-1].Time.Format(timeLayout))
		}
	}
	return nil
}

// timeLayout prints times in errors with their nanoseconds, so that two
// close instants are told apart.
const timeLayout = "2006-01-02T15:04:05.999999999Z07:00"

func validateFills(fills []market.Fill) error {
	held := make(map[market.Symbol]*market.Position)
	for i := range fills {
		f := &fills[i]
		if err := f.Validate(); err != nil {
			return fmt.Errorf("fills[%d]: %w", i, err)
		}
		if i > 0 && f.Time.Before(fills[i-1].Time) {
			return fmt.Errorf("fills[%d]: time %s before fills[%d]'s %s",
				i, f.Time.Format(timeLayout), i-1, fills[i-1].Time.Format(timeLayout))
		}
		p := held[f.Symbol]
		if p == nil {
			p = &market.Position{Symbol: f.Symbol}
			held[f.Symbol] = p
		}
		if err := p.Apply(f); err != nil {
			return fmt.Errorf("fills[%d]: qty: %w", i, err)
		}
	}
	return nil
}
