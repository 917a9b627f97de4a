package kis

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// nums reads the string-typed numbers of REST bodies (§2.7), keeping the
// first error so that a decoder can read every field and check once.
type nums struct {
	what string // e.g. "inquire-balance output1[3]"
	err  error
}

// int reads an integer, accepting a zero fraction ("22975.0000") and
// treating an empty field as 0.
func (n *nums) int(field, s string) int64 {
	s = strings.TrimSpace(s)
	if s == "" || n.err != nil {
		return 0
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 1<<53 {
		n.err = fmt.Errorf("%s: field %s=%q: not a number", n.what, field, s)
		return 0
	}
	return int64(math.Round(f))
}

// float reads a decimal such as an average price or a rate.
func (n *nums) float(field, s string) float64 {
	s = strings.TrimSpace(s)
	if s == "" || n.err != nil {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		n.err = fmt.Errorf("%s: field %s=%q: not a number", n.what, field, s)
	}
	return f
}
