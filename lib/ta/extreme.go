package ta

import "math"

// extreme tracks the maximum (or minimum) of the last n values with a
// monotonic deque held in fixed rings: O(1) amortised per update, no
// allocation, no rescans.
type extreme struct {
	vals  []float64
	idx   []int // sequence number of each value in vals
	head  int   // front of the deque: the current extreme
	size  int
	seen  int // values pushed
	isMax bool
}

func newExtreme(n int, isMax bool) extreme {
	return extreme{vals: make([]float64, n), idx: make([]int, n), isMax: isMax}
}

// beats reports whether v makes the older value w irrelevant.
func (e *extreme) beats(v, w float64) bool {
	if e.isMax {
		return v >= w
	}
	return v <= w
}

func (e *extreme) push(v float64) {
	n := len(e.vals)
	e.seen++
	for e.size > 0 && e.idx[e.head] <= e.seen-n { // left the window
		if e.head++; e.head == n {
			e.head = 0
		}
		e.size--
	}
	for e.size > 0 && e.beats(v, e.vals[wrap(e.head+e.size-1, n)]) {
		e.size--
	}
	back := wrap(e.head+e.size, n)
	e.vals[back], e.idx[back] = v, e.seen
	e.size++
}

// wrap maps i in [0, 2n) into the ring [0, n) without a division.
func wrap(i, n int) int {
	if i >= n {
		return i - n
	}
	return i
}

func (e *extreme) full() bool { return e.seen >= len(e.vals) }

func (e *extreme) value() float64 { return e.vals[e.head] }

func (e *extreme) reset() { e.head, e.size, e.seen = 0, 0, 0 }

// Highest is the largest of the last n values (TA-Lib MAX), first defined
// at index n-1.
type Highest struct{ e extreme }

// NewHighest returns the maximum over n values, 2 ≤ n ≤ 100000.
func NewHighest(n int) (*Highest, error) {
	if err := checkPeriod("highest", "period", n, 2); err != nil {
		return nil, err
	}
	return &Highest{e: newExtreme(n, true)}, nil
}

// Update feeds the next value.
func (h *Highest) Update(v float64) { h.e.push(v) }

// UpdateBar feeds b.Close (use Update(b.High) for the highest high).
func (h *Highest) UpdateBar(b Bar) { h.e.push(b.Close) }

// Ready reports whether n values have been seen.
func (h *Highest) Ready() bool { return h.e.full() }

// Value is the maximum; NaN until Ready.
func (h *Highest) Value() float64 {
	if !h.e.full() {
		return math.NaN()
	}
	return h.e.value()
}

// Reset forgets all input.
func (h *Highest) Reset() { h.e.reset() }

// Lowest is the smallest of the last n values (TA-Lib MIN), first defined
// at index n-1.
type Lowest struct{ e extreme }

// NewLowest returns the minimum over n values, 2 ≤ n ≤ 100000.
func NewLowest(n int) (*Lowest, error) {
	if err := checkPeriod("lowest", "period", n, 2); err != nil {
		return nil, err
	}
	return &Lowest{e: newExtreme(n, false)}, nil
}

// Update feeds the next value.
func (l *Lowest) Update(v float64) { l.e.push(v) }

// UpdateBar feeds b.Close (use Update(b.Low) for the lowest low).
func (l *Lowest) UpdateBar(b Bar) { l.e.push(b.Close) }

// Ready reports whether n values have been seen.
func (l *Lowest) Ready() bool { return l.e.full() }

// Value is the minimum; NaN until Ready.
func (l *Lowest) Value() float64 {
	if !l.e.full() {
		return math.NaN()
	}
	return l.e.value()
}

// Reset forgets all input.
func (l *Lowest) Reset() { l.e.reset() }

// HighestHigh is the highest high of the last n bars (TA-Lib MAX over
// highs), first defined at index n-1: what a trader means by "the
// 20-day high". It takes bars only; Highest is the same over any values.
type HighestHigh struct{ e extreme }

// NewHighestHigh returns the highest high over n bars, 2 ≤ n ≤ 100000.
func NewHighestHigh(n int) (*HighestHigh, error) {
	if err := checkPeriod("highest", "period", n, 2); err != nil {
		return nil, err
	}
	return &HighestHigh{e: newExtreme(n, true)}, nil
}

// UpdateBar feeds b.High.
func (h *HighestHigh) UpdateBar(b Bar) { h.e.push(b.High) }

// Ready reports whether n bars have been seen.
func (h *HighestHigh) Ready() bool { return h.e.full() }

// Value is the highest high; NaN until Ready.
func (h *HighestHigh) Value() float64 {
	if !h.e.full() {
		return math.NaN()
	}
	return h.e.value()
}

// Reset forgets all input.
func (h *HighestHigh) Reset() { h.e.reset() }

// LowestLow is the lowest low of the last n bars (TA-Lib MIN over lows),
// first defined at index n-1. It takes bars only; Lowest is the same over
// any values.
type LowestLow struct{ e extreme }

// NewLowestLow returns the lowest low over n bars, 2 ≤ n ≤ 100000.
func NewLowestLow(n int) (*LowestLow, error) {
	if err := checkPeriod("lowest", "period", n, 2); err != nil {
		return nil, err
	}
	return &LowestLow{e: newExtreme(n, false)}, nil
}

// UpdateBar feeds b.Low.
func (l *LowestLow) UpdateBar(b Bar) { l.e.push(b.Low) }

// Ready reports whether n bars have been seen.
func (l *LowestLow) Ready() bool { return l.e.full() }

// Value is the lowest low; NaN until Ready.
func (l *LowestLow) Value() float64 {
	if !l.e.full() {
		return math.NaN()
	}
	return l.e.value()
}

// Reset forgets all input.
func (l *LowestLow) Reset() { l.e.reset() }
