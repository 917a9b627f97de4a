package tape

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

var errEmpty = errors.New("empty")

// maxExact is the largest integer a float64 holds exactly (2^53).
const maxExact = 1 << 53

// parseWhole reads a whole number written as an integer ("25200"), a float
// with a zero fraction ("25200.0"), with thousands separators ("182,299")
// or with an exponent ("1.5e7"). It does not allocate on success.
func parseWhole(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errEmpty
	}
	if strings.ContainsAny(s, "eE") {
		return parseExp(s)
	}
	body, neg := s, false
	if body[0] == '+' || body[0] == '-' {
		body, neg = body[1:], body[0] == '-'
	}
	intPart, frac, _ := strings.Cut(body, ".")
	n, ok := parseDigits(intPart)
	if !ok || strings.Trim(frac, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if strings.Trim(frac, "0") != "" {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	if neg {
		n = -n
	}
	return n, nil
}

// parseDigits reads decimal digits, optionally grouped by commas in
// threes ("1,234,567"). It rejects overflow and misplaced commas.
func parseDigits(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	first := strings.IndexByte(s, ',')
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ',' {
			// A comma must end a group: 1-3 digits before the first,
			// exactly 3 between commas and after the last.
			if i == 0 || (i == first && i > 3) || (i != first && (i-first)%4 != 0) || len(s)-i != 4+4*strings.Count(s[i+1:], ",") {
				return 0, false
			}
			continue
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (math.MaxInt64-int64(c-'0'))/10 {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func parseExp(s string) (int64, error) {
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
		return 0, fmt.Errorf("%q is not a number", s)
	case f != math.Trunc(f):
		return 0, fmt.Errorf("%q is not a whole number", s)
	case math.Abs(f) > maxExact:
		return 0, fmt.Errorf("%q is too large to be exact", s)
	}
	return int64(f), nil
}
