package record

import "github.com/qbtrading/qb/lib/market"

type kind uint8

const (
	kindTick kind = iota + 1
	kindBar
	kindEvent
)

// item is one record in the ring buffer. A union by value keeps Tick and Bar
// free of allocations.
type item struct {
	kind  kind
	seq   uint64
	tick  market.Tick
	bar   market.Bar
	event Event
}

// Tick records t. It never waits for the store.
func (r *Recorder) Tick(t *market.Tick) {
	r.mu.Lock()
	it := r.slot()
	if it != nil {
		it.kind, it.tick = kindTick, *t
	}
	r.commit(it)
}

// Bar records b. It never waits for the store.
func (r *Recorder) Bar(b *market.Bar) {
	r.mu.Lock()
	it := r.slot()
	if it != nil {
		it.kind, it.bar = kindBar, *b
	}
	r.commit(it)
}

// Event records e. It never waits for the store. e.Details is kept as given:
// the caller must not modify it afterwards.
func (r *Recorder) Event(e Event) {
	r.mu.Lock()
	it := r.slot()
	if it != nil {
		it.kind, it.event = kindEvent, e
	}
	r.commit(it)
}

// slot returns the ring slot for the next record, or r.scratch when the record
// must go to a spill file (buffer full, or older records already there), or
// nil after Close. Called with r.mu held.
func (r *Recorder) slot() *item {
	if r.closing {
		r.stats.Lost++
		return nil
	}
	if r.spill == nil && r.n < len(r.buf) {
		it := &r.buf[(r.head+r.n)%len(r.buf)]
		*it = item{seq: r.seq}
		return it
	}
	r.scratch = item{seq: r.seq}
	return &r.scratch
}

// commit finishes what slot started and releases r.mu.
func (r *Recorder) commit(it *item) {
	if it == nil {
		r.mu.Unlock()
		return
	}
	r.seq++
	r.stats.Recorded++
	if it == &r.scratch {
		r.spillLocked(it)
		r.mu.Unlock()
		return
	}
	r.n++
	full := r.n >= r.cfg.BatchSize
	r.mu.Unlock()
	if full {
		select {
		case r.kick <- struct{}{}:
		default:
		}
	}
}

// take moves records from the ring into dst until dst holds max.
func (r *Recorder) take(dst []item, max int) []item {
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.n > 0 && len(dst) < max {
		dst = append(dst, r.buf[r.head])
		r.buf[r.head] = item{} // drop string references
		r.head = (r.head + 1) % len(r.buf)
		r.n--
	}
	return dst
}
