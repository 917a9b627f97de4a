package ta

import "math"

// stochOutputs names the stochastics' outputs; read-only.
var stochOutputs = []string{"k", "d"}

// fastK is the raw stochastic of TA-Lib: 100·(close − lowest low) /
// (highest high − lowest low) over n bars, 0 when the range is empty.
type fastK struct{ hi, lo extreme }

func newFastK(n int) fastK { return fastK{hi: newExtreme(n, true), lo: newExtreme(n, false)} }

func (f *fastK) update(b Bar) (k float64, ok bool) {
	f.hi.push(b.High)
	f.lo.push(b.Low)
	if !f.hi.full() {
		return 0, false
	}
	lo := f.lo.value()
	// TA-Lib divides by (range/100) rather than multiplying by 100; kept
	// for bit parity.
	if diff := (f.hi.value() - lo) / 100; diff != 0 {
		return (b.Close - lo) / diff, true
	}
	return 0, true
}

func (f *fastK) reset() {
	f.hi.reset()
	f.lo.reset()
}

// Stoch is TA-Lib's slow stochastic with SMA smoothing: %K = SMA(slowK) of
// the raw stochastic over fastK bars, %D = SMA(slowD) of %K. Both outputs
// first appear at index fastK+slowK+slowD−3 (17 for 14/3/3).
type Stoch struct {
	raw  fastK
	k, d window
}

// NewStoch returns a slow stochastic; fastK, slowK, slowD in [1, 100000].
func NewStoch(fastKN, slowKN, slowDN int) (*Stoch, error) {
	for _, p := range []struct {
		name string
		n    int
	}{{"fastk", fastKN}, {"slowk", slowKN}, {"slowd", slowDN}} {
		if err := checkPeriod("stoch", p.name, p.n, 1); err != nil {
			return nil, err
		}
	}
	return &Stoch{raw: newFastK(fastKN), k: newWindow(slowKN), d: newWindow(slowDN)}, nil
}

// UpdateBar feeds the next bar.
func (s *Stoch) UpdateBar(b Bar) {
	k, ok := s.raw.update(b)
	if !ok {
		return
	}
	s.k.push(k)
	if s.k.full() {
		s.d.push(s.k.mean())
	}
}

// Ready reports whether %D is defined.
func (s *Stoch) Ready() bool { return s.d.full() }

// Value is %K; NaN until Ready.
func (s *Stoch) Value() float64 { return s.Output(0) }

// Outputs returns {"k", "d"}.
func (s *Stoch) Outputs() []string { return stochOutputs }

// Output returns %K (0) or %D (1).
func (s *Stoch) Output(i int) float64 {
	if !s.d.full() {
		return math.NaN()
	}
	switch i {
	case 0:
		return s.k.mean()
	case 1:
		return s.d.mean()
	}
	return math.NaN()
}

// Reset forgets all input.
func (s *Stoch) Reset() {
	s.raw.reset()
	s.k.reset()
	s.d.reset()
}

// StochF is TA-Lib's fast stochastic: %K is the raw stochastic over fastK
// bars, %D = SMA(fastD) of it. Both first appear at index fastK+fastD−2
// (15 for 14/3), as in TA-Lib, although %K alone is known earlier.
type StochF struct {
	raw fastK
	d   window
	k   float64
}

// NewStochF returns a fast stochastic; fastK, fastD in [1, 100000].
func NewStochF(fastKN, fastDN int) (*StochF, error) {
	if err := checkPeriod("stochf", "fastk", fastKN, 1); err != nil {
		return nil, err
	}
	if err := checkPeriod("stochf", "fastd", fastDN, 1); err != nil {
		return nil, err
	}
	return &StochF{raw: newFastK(fastKN), d: newWindow(fastDN)}, nil
}

// UpdateBar feeds the next bar.
func (s *StochF) UpdateBar(b Bar) {
	if k, ok := s.raw.update(b); ok {
		s.k = k
		s.d.push(k)
	}
}

// Ready reports whether %D is defined.
func (s *StochF) Ready() bool { return s.d.full() }

// Value is %K; NaN until Ready.
func (s *StochF) Value() float64 { return s.Output(0) }

// Outputs returns {"k", "d"}.
func (s *StochF) Outputs() []string { return stochOutputs }

// Output returns %K (0) or %D (1).
func (s *StochF) Output(i int) float64 {
	if !s.d.full() {
		return math.NaN()
	}
	switch i {
	case 0:
		return s.k
	case 1:
		return s.d.mean()
	}
	return math.NaN()
}

// Reset forgets all input.
func (s *StochF) Reset() {
	s.raw.reset()
	s.d.reset()
}
