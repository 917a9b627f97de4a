package market

import "fmt"

// Symbol is a KRX short code: six characters, digits or upper-case letters
// ("005930" for Samsung Electronics, "0000J0" for newer listings).
type Symbol string

// ParseSymbol validates s as a KRX short code.
func ParseSymbol(s string) (Symbol, error) {
	sym := Symbol(s)
	if err := sym.Validate(); err != nil {
		return "", err
	}
	return sym, nil
}

// Validate reports whether the symbol is six digits or upper-case letters.
func (s Symbol) Validate() error {
	if len(s) != 6 {
		return fmt.Errorf("symbol %q: want 6 characters, have %d", string(s), len(s))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return fmt.Errorf("symbol %q: character %d is %q, want a digit or A-Z", string(s), i+1, c)
		}
	}
	return nil
}
