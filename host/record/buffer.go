package record

import "github.com/qbtrading/qb/lib/market"

type kind uint8

const (
	kindTick kind = iota + 1
	kindBar
	kindEvent
)

// item is one record in the buffer. A union by value keeps Tick and Bar
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

// slot returns the buffer slot for the next record, or r.scratch when the record
// must go to a spill file (buffer full, or older records already there), or
// nil after Close. Called with r.mu held.
func (r *Recorder) slot() *item {
	if r.closing {
		r.stats.Lost++
		return nil
	}
	if r.spill == nil && len(r.buf) < r.cfg.Capacity {
		r.buf = append(r.buf, item{seq: r.seq}) // within capacity: no allocation
		return &r.buf[len(r.buf)-1]
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
	full := len(r.buf) >= r.cfg.BatchSize
	r.mu.Unlock()
	if full {
		select {
		case r.kick <- struct{}{}:
		default:
		}
	}
}

// swap hands the writer everything recorded so far and gives the recorder
// the writer's empty buffer: the lock is held for two assignments, not a copy.
func (r *Recorder) swap(empty []item) []item {
	r.mu.Lock()
	defer r.mu.Unlock()
	full := r.buf
	r.buf = empty[:0]
	return full
}
