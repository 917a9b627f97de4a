package krx

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// Rate is a proportion of a traded value in millionths: 1 is 0.0001 %, or
// a hundredth of a basis point, fine enough for every KRX fee and tax rate
// (0.015 % is 150, 0.2 % is 2000). Integer, so fee arithmetic stays exact.
type Rate int64

// Rate units.
const (
	BasisPoint Rate = 100       // 0.01 %
	Percent    Rate = 10_000    // 1 %
	whole      Rate = 1_000_000 // 100 %
)

// Of returns value × r rounded down to the won; zero for a non-positive
// value or rate. The product is taken in 128 bits, so it cannot overflow
// for a rate up to 100 %; a result beyond int64 (possible only for an
// invalid rate above 100 %) saturates at math.MaxInt64.
func (r Rate) Of(value int64) int64 {
	if value <= 0 || r <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(value), uint64(r))
	if hi >= uint64(whole) {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, uint64(whole))
	return int64(min(q, math.MaxInt64))
}

// String formats r as a percentage with no trailing zeros: "0.015%".
func (r Rate) String() string {
	sign := ""
	if r < 0 {
		sign, r = "-", -r
	}
	s := fmt.Sprintf("%s%d.%04d", sign, r/Percent, r%Percent)
	return strings.TrimRight(strings.TrimRight(s, "0"), ".") + "%"
}

// ParseRate reads a rate written as a percentage ("0.015%") or in basis
// points ("1.5bp"), between 0 and 100 % and no finer than 0.0001 %.
func ParseRate(s string) (Rate, error) {
	num, unit, digits := s, Percent, 4
	switch {
	case strings.HasSuffix(s, "%"):
		num = strings.TrimSuffix(s, "%")
	case strings.HasSuffix(s, "bp"):
		num, unit, digits = strings.TrimSuffix(s, "bp"), BasisPoint, 2
	default:
		return 0, fmt.Errorf("rate %q: want a percentage (0.015%%) or basis points (1.5bp)", s)
	}
	r, err := parseDecimal(num, unit, digits)
	if err != nil {
		return 0, fmt.Errorf("rate %q: %w", s, err)
	}
	if r > whole {
		return 0, fmt.Errorf("rate %q: above 100%%", s)
	}
	return r, nil
}

// parseDecimal reads an unsigned decimal with at most digits fractional
// digits and returns it in units of unit/10^digits.
func parseDecimal(s string, unit Rate, digits int) (Rate, error) {
	ip, fp, _ := strings.Cut(s, ".")
	if ip == "" || len(fp) > digits || !allDigits(ip) || !allDigits(fp) || len(ip) > 7 {
		return 0, fmt.Errorf("want a plain decimal number with at most %d decimals", digits)
	}
	fp += strings.Repeat("0", digits-len(fp))
	i, err := strconv.ParseInt(ip, 10, 64)
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseInt("0"+fp, 10, 64)
	if err != nil {
		return 0, err
	}
	return Rate(i)*unit + Rate(f), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
