// Package ta provides technical indicators that reproduce TA-Lib (C 0.6.0)
// with its default settings, as streaming state machines: feed one value or
// bar at a time, read the value, know when it is defined. Every update is
// allocation-free. Batch helpers (SMAOf, MACDOf, …) run the same code over
// a slice.
//
// Conventions, all TA-Lib's (the tests check them against TA-Lib's output
// to 1e-9 relative error on 976 days of Samsung Electronics bars):
//   - EMA(n): k = 2/(n+1), seeded with the SMA of the first n values.
//   - RSI(n): Wilder smoothing, seeded with mean gain and loss of the first
//     n changes; first value at index n; a flat series gives 0.
//   - MACD: the fast EMA is seeded late so both EMAs start together; line
//     and signal first at index slow+signal−2 (33 for 12/26/9).
//   - Bollinger Bands and STDDEV: population σ (divide by n).
//   - ATR(n): true range from the second bar; seeded with the mean of the
//     first n true ranges; first at index n.
//   - Stochastics: smoothing by SMA; a bar range of zero gives %K 0; the
//     slow one is first at fastK+slowK+slowD−3 (17 for 14/3/3), the fast
//     one at fastK+fastD−2.
//   - OBV starts at the first bar's volume; ROC is ((v/prev)−1)·100.
//
// Where qb differs on purpose it says so: the dispersion is computed in two
// passes (see StdDev), VWAP (not in TA-Lib) restarts by Reset, and running
// sums are compensated so nothing drifts over long series (see window).
//
// Inputs are assumed finite. A NaN or Inf fed to a windowed indicator
// spoils its value while in the window; recursive ones (EMA, RSI, ATR,
// MACD) keep it until Reset.
//
// Indicators are not safe for concurrent use; each belongs to one goroutine.
package ta
