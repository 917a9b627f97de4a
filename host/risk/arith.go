package risk

import "math"

// mulSat is a×b for non-negative a and b, saturating at MaxInt64 instead
// of wrapping, so an absurd quantity from a script is refused, not
// mistaken for a small one.
func mulSat(a, b int64) int64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}

// addSat is a+b for non-negative a and b, saturating at MaxInt64.
func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// mulDivUp is ⌈a×b/c⌉ for small non-negative a, b and positive c.
func mulDivUp(a, b, c int64) int64 { return (mulSat(a, b) + c - 1) / c }
