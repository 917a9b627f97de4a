package ta

// Batch helpers run the streaming indicator over a whole slice, so a batch
// result is by construction what a live strategy saw bar by bar. Each
// output has the input's length, NaN where the indicator is not defined.

// valuesOf feeds every value to ind and records Value after each.
func valuesOf(ind ValueIndicator, in []float64) []float64 {
	out := make([]float64, len(in))
	for i, v := range in {
		ind.Update(v)
		out[i] = ind.Value()
	}
	return out
}

// barsOf feeds every bar to ind and records Value after each.
func barsOf(ind Indicator, bars []Bar) []float64 {
	out := make([]float64, len(bars))
	for i, b := range bars {
		ind.UpdateBar(b)
		out[i] = ind.Value()
	}
	return out
}

// outputsOf calls feed(i) for i in [0, n) and records every output of m
// after each call.
func outputsOf(m Multi, n int, feed func(i int)) [][]float64 {
	outs := make([][]float64, len(m.Outputs()))
	for j := range outs {
		outs[j] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		feed(i)
		for j := range outs {
			outs[j][i] = m.Output(j)
		}
	}
	return outs
}

// SMAOf returns the SMA(n) of v.
func SMAOf(v []float64, n int) ([]float64, error) {
	ind, err := NewSMA(n)
	if err != nil {
		return nil, err
	}
	return valuesOf(ind, v), nil
}

// EMAOf returns the EMA(n) of v.
func EMAOf(v []float64, n int) ([]float64, error) {
	ind, err := NewEMA(n)
	if err != nil {
		return nil, err
	}
	return valuesOf(ind, v), nil
}

// WMAOf returns the WMA(n) of v.
func WMAOf(v []float64, n int) ([]float64, error) {
	ind, err := NewWMA(n)
	if err != nil {
		return nil, err
	}
	return valuesOf(ind, v), nil
}

// RSIOf returns the RSI(n) of v.
func RSIOf(v []float64, n int) ([]float64, error) {
	ind, err := NewRSI(n)
	if err != nil {
		return nil, err
	}
	return valuesOf(ind, v), nil
}

// StdDevOf returns k times the population standard deviation over n of v.
func StdDevOf(v []float64, n int, k float64) ([]float64, error) {
	ind, err := NewStdDev(n, k)
	if err != nil {
		return nil, err
	}
	return valuesOf(ind, v), nil
}

// ROCOf returns the rate of change over n of v, in percent.
func ROCOf(v []float64, n int) ([]float64, error) {
	ind, err := NewROC(n)
	if err != nil {
		return nil, err
	}
	return valuesOf(ind, v), nil
}

// HighestOf returns the maximum over the last n values of v.
func HighestOf(v []float64, n int) ([]float64, error) {
	ind, err := NewHighest(n)
	if err != nil {
		return nil, err
	}
	return valuesOf(ind, v), nil
}

// LowestOf returns the minimum over the last n values of v.
func LowestOf(v []float64, n int) ([]float64, error) {
	ind, err := NewLowest(n)
	if err != nil {
		return nil, err
	}
	return valuesOf(ind, v), nil
}

// HighestHighOf returns the highest high over the last n bars.
func HighestHighOf(bars []Bar, n int) ([]float64, error) {
	ind, err := NewHighestHigh(n)
	if err != nil {
		return nil, err
	}
	return barsOf(ind, bars), nil
}

// LowestLowOf returns the lowest low over the last n bars.
func LowestLowOf(bars []Bar, n int) ([]float64, error) {
	ind, err := NewLowestLow(n)
	if err != nil {
		return nil, err
	}
	return barsOf(ind, bars), nil
}
