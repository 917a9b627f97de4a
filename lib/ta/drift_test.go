package ta

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// exactMean is the mean of v computed in 256-bit floating point.
func exactMean(v []float64) float64 {
	s := new(big.Float).SetPrec(256)
	for _, x := range v {
		s.Add(s, new(big.Float).SetPrec(256).SetFloat64(x))
	}
	f, _ := s.Quo(s, new(big.Float).SetFloat64(float64(len(v)))).Float64()
	return f
}

// adversarial is a long price-like series with rare huge spikes: a plain
// running sum keeps the rounding error of each spike after it leaves the
// window.
func adversarial(n int) []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	v := make([]float64, n)
	for i := range v {
		v[i] = 50000 + r.Float64()*1000
		if i%5003 == 0 {
			v[i] = 1e17 * r.Float64()
		}
	}
	return v
}

func TestSMADoesNotDrift(t *testing.T) {
	const n = 20
	v := adversarial(120_000)
	got, err := SMAOf(v, n)
	if err != nil {
		t.Fatal(err)
	}
	var naive float64 // what a plain running sum would report
	worst, worstNaive := 0.0, 0.0
	for i := range v {
		naive += v[i]
		if i >= n {
			naive -= v[i-n]
		}
		if i < n-1 || i%11 != 0 {
			continue
		}
		want := exactMean(v[i-n+1 : i+1])
		worst = max(worst, relErr(got[i], want))
		worstNaive = max(worstNaive, relErr(naive/n, want))
	}
	if worst > 1e-9 {
		t.Errorf("SMA worst relative error %.3g over %d values, want ≤ 1e-9", worst, len(v))
	}
	if worstNaive < 1e-9 {
		t.Errorf("fixture too easy: a naive running sum stays within %.3g", worstNaive)
	}
	t.Logf("worst relative error %.3g (naive running sum: %.3g)", worst, worstNaive)
}

func TestWMADoesNotDrift(t *testing.T) {
	const n = 10
	v := adversarial(40_000)
	got, err := WMAOf(v, n)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i := n - 1; i < len(v); i += 11 {
		w := make([]float64, 0, n*(n+1)/2) // each value repeated by its weight
		for j := 0; j < n; j++ {
			for range j + 1 {
				w = append(w, v[i-n+1+j])
			}
		}
		worst = max(worst, relErr(got[i], exactMean(w)))
	}
	if worst > 1e-9 {
		t.Errorf("WMA worst relative error %.3g, want ≤ 1e-9", worst)
	}
	t.Logf("worst relative error %.3g", worst)
}

// A NaN fed to a windowed indicator stops mattering once it has left the
// window and the sum has been recomputed.
func TestWindowRecoversFromNaN(t *testing.T) {
	s, err := NewSMA(4)
	if err != nil {
		t.Fatal(err)
	}
	s.Update(math.NaN())
	for i := range 8 {
		s.Update(float64(i))
	}
	if got := s.Value(); got != 5.5 {
		t.Fatalf("SMA after NaN left the window = %v, want 5.5", got)
	}
}

// The deque-based extremes agree with a brute-force scan on random data,
// ties and all.
func TestExtremesMatchBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	v := make([]float64, 5000)
	for i := range v {
		v[i] = float64(r.IntN(20)) // many ties
	}
	for _, n := range []int{2, 3, 7, 50} {
		hi, _ := HighestOf(v, n)
		lo, _ := LowestOf(v, n)
		for i := n - 1; i < len(v); i++ {
			mx, mn := v[i], v[i]
			for _, x := range v[i-n+1 : i] {
				mx, mn = max(mx, x), min(mn, x)
			}
			if hi[i] != mx || lo[i] != mn {
				t.Fatalf("n=%d step %d: highest %v lowest %v, want %v %v", n, i, hi[i], lo[i], mx, mn)
			}
		}
	}
}
