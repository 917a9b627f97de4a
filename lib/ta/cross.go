package ta

// Crossover reports whether series a crossed above series b on this bar:
// a was at or below b on the previous bar and is above it now. Any NaN
// (an indicator not yet ready) gives false.
func Crossover(prevA, prevB, a, b float64) bool { return prevA <= prevB && a > b }

// Crossunder reports whether series a crossed below series b on this bar:
// a was at or above b on the previous bar and is below it now. Any NaN
// gives false.
func Crossunder(prevA, prevB, a, b float64) bool { return prevA >= prevB && a < b }

// CrossoversOf marks each index i ≥ 1 where a crosses above b (Crossover
// of a[i-1], b[i-1], a[i], b[i]). Index 0 is false. The shorter length
// of a and b is used.
func CrossoversOf(a, b []float64) []bool { return crosses(a, b, Crossover) }

// CrossundersOf marks each index i ≥ 1 where a crosses below b.
func CrossundersOf(a, b []float64) []bool { return crosses(a, b, Crossunder) }

func crosses(a, b []float64, f func(pa, pb, a, b float64) bool) []bool {
	n := min(len(a), len(b))
	out := make([]bool, n)
	for i := 1; i < n; i++ {
		out[i] = f(a[i-1], b[i-1], a[i], b[i])
	}
	return out
}
