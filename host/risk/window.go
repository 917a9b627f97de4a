package risk

// window remembers the times (unix ns) of the last len(at) admitted orders
// in a ring, so "how many in the last span" costs no allocation.
type window struct {
	at   []int64
	head int // oldest entry
	n    int // entries in use
}

func newWindow(size int) window {
	if size <= 0 {
		return window{}
	}
	return window{at: make([]int64, size)}
}

// full drops entries older than span before now and reports whether the
// window still holds its capacity of orders. A window of size 0 is never
// full.
func (w *window) full(now, span int64) bool {
	for w.n > 0 && now-w.at[w.head] >= span {
		w.head = (w.head + 1) % len(w.at)
		w.n--
	}
	return len(w.at) > 0 && w.n == len(w.at)
}

// oldest is the time of the oldest entry; only valid when n > 0.
func (w *window) oldest() int64 { return w.at[w.head] }

// add records an order at now; the caller checked full first.
func (w *window) add(now int64) {
	if len(w.at) == 0 {
		return
	}
	if w.n == len(w.at) { // only if the caller skipped full: overwrite the oldest
		w.head = (w.head + 1) % len(w.at)
		w.n--
	}
	w.at[(w.head+w.n)%len(w.at)] = now
	w.n++
}
