package ta

// MACDOf returns the MACD line, signal and histogram of v.
func MACDOf(v []float64, fast, slow, signal int) (line, sig, hist []float64, err error) {
	m, err := NewMACD(fast, slow, signal)
	if err != nil {
		return nil, nil, nil, err
	}
	o := outputsOf(m, len(v), func(i int) { m.Update(v[i]) })
	return o[0], o[1], o[2], nil
}

// BBandsOf returns the upper, middle and lower Bollinger Bands of v.
func BBandsOf(v []float64, n int, up, dn float64) (upper, middle, lower []float64, err error) {
	b, err := NewBBands(n, up, dn)
	if err != nil {
		return nil, nil, nil, err
	}
	o := outputsOf(b, len(v), func(i int) { b.Update(v[i]) })
	return o[0], o[1], o[2], nil
}

// StochOf returns the slow stochastic's %K and %D over bars.
func StochOf(bars []Bar, fastK, slowK, slowD int) (k, d []float64, err error) {
	s, err := NewStoch(fastK, slowK, slowD)
	if err != nil {
		return nil, nil, err
	}
	o := outputsOf(s, len(bars), func(i int) { s.UpdateBar(bars[i]) })
	return o[0], o[1], nil
}

// StochFOf returns the fast stochastic's %K and %D over bars.
func StochFOf(bars []Bar, fastK, fastD int) (k, d []float64, err error) {
	s, err := NewStochF(fastK, fastD)
	if err != nil {
		return nil, nil, err
	}
	o := outputsOf(s, len(bars), func(i int) { s.UpdateBar(bars[i]) })
	return o[0], o[1], nil
}

// ATROf returns the ATR(n) of bars.
func ATROf(bars []Bar, n int) ([]float64, error) {
	a, err := NewATR(n)
	if err != nil {
		return nil, err
	}
	return barsOf(a, bars), nil
}

// VWAPOf returns the VWAP of bars: cumulative over all of them for n = 0
// (one session), rolling over n bars otherwise.
func VWAPOf(bars []Bar, n int) ([]float64, error) {
	v, err := NewVWAP(n)
	if err != nil {
		return nil, err
	}
	return barsOf(v, bars), nil
}

// OBVOf returns the on-balance volume of bars.
func OBVOf(bars []Bar) []float64 { return barsOf(NewOBV(), bars) }
