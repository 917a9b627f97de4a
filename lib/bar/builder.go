package bar

import (
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Stats counts what a Builder did with the ticks it was given.
type Stats struct {
	Ticks      int64 // accepted into a bar (OutOfOrder ones included)
	Bars       int64 // bars closed
	Late       int64 // dropped: their bucket was already closed or passed
	Duplicate  int64 // dropped: Seq already seen (see the package doc)
	OutOfOrder int64 // accepted, but earlier than the latest tick
	Invalid    int64 // dropped: other symbol, zero time, price <= 0, volume < 0
}

// Builder turns the ticks of one symbol into bars of one timeframe.
// The zero value is not usable; call NewBuilder.
type Builder struct {
	sym market.Symbol
	tf  market.Timeframe

	cur      market.Bar
	open     bool  // cur is forming
	curStart int64 // cur.Start, unix ns
	curEnd   int64 // cur.End(), unix ns
	openAt   int64 // time of the print that set cur.Open, unix ns
	closeAt  int64 // time of the print that set cur.Close, unix ns

	lateBefore int64 // ticks earlier than this (unix ns) are Late
	lastTime   int64 // latest tick time seen, unix ns
	lastSeq    int64 // highest Seq seen
	stats      Stats
}

// NewBuilder returns a Builder for sym's bars of timeframe tf.
// tf should be one of market.Timeframes; other positive durations are
// aligned the same way. With a tf that is not positive there are no
// buckets: every tick is counted Invalid and no bar is ever made.
func NewBuilder(sym market.Symbol, tf market.Timeframe) *Builder {
	return &Builder{sym: sym, tf: tf, lateBefore: minInt64, lastTime: minInt64}
}

const minInt64 = -1 << 63

// Symbol returns the symbol the Builder accepts.
func (b *Builder) Symbol() market.Symbol { return b.sym }

// Timeframe returns the length of the Builder's bars.
func (b *Builder) Timeframe() market.Timeframe { return b.tf }

// Stats returns the counts so far.
func (b *Builder) Stats() Stats { return b.stats }

// Current returns the forming bar, if any. It is never a finished bar and
// must not be shown to a strategy as one.
func (b *Builder) Current() (market.Bar, bool) {
	return b.cur, b.open
}

// Add applies one tick under the rules of the package doc. When t belongs
// to a later bucket than the forming bar, that bar is closed and returned
// with ok true, and t starts the new bar.
func (b *Builder) Add(t *market.Tick) (closed market.Bar, ok bool) {
	if t.Symbol != b.sym || t.Time.IsZero() || t.Price <= 0 || t.Volume < 0 || b.tf <= 0 {
		b.stats.Invalid++
		return closed, false
	}
	at := t.Time.UnixNano()
	if b.duplicate(t.Seq, at) {
		b.stats.Duplicate++
		return closed, false
	}
	switch {
	case at < b.lateBefore || (b.open && at < b.curStart):
		b.stats.Late++
	case b.open && at < b.curEnd:
		b.merge(t, at)
	default:
		closed, ok = b.close()
		b.start(t, at)
	}
	return closed, ok
}

// duplicate applies rule 2 and records seq and at as seen.
func (b *Builder) duplicate(seq, at int64) bool {
	if seq > 0 {
		if seq <= b.lastSeq && at <= b.lastTime {
			return true
		}
		b.lastSeq = seq
	}
	return false
}

// Advance tells the Builder the clock reached now. It closes and returns
// the forming bar if now is at or after its end; from then on, ticks of
// buckets before now's bucket are Late.
func (b *Builder) Advance(now time.Time) (closed market.Bar, ok bool) {
	if b.tf <= 0 {
		return closed, false
	}
	if s := b.tf.Start(now).UnixNano(); s > b.lateBefore {
		b.lateBefore = s
	}
	if b.open && now.UnixNano() >= b.curEnd {
		return b.close()
	}
	return closed, false
}

// Flush closes and returns the forming bar whatever the clock says, for the
// end of a replay or a session that closes before the bucket does. Later
// ticks of that bucket are Late.
func (b *Builder) Flush() (closed market.Bar, ok bool) {
	if b.open {
		b.lateBefore = max(b.lateBefore, b.curEnd)
	}
	return b.close()
}

func (b *Builder) close() (market.Bar, bool) {
	if !b.open {
		return market.Bar{}, false
	}
	b.open = false
	b.stats.Bars++
	return b.cur, true
}

func (b *Builder) start(t *market.Tick, at int64) {
	start := b.tf.Start(t.Time)
	b.curStart = start.UnixNano()
	b.curEnd = b.curStart + int64(b.tf)
	b.lateBefore = max(b.lateBefore, b.curStart)
	b.cur = market.Bar{
		Symbol: b.sym, Timeframe: b.tf, Start: start,
		Open: t.Price, High: t.Price, Low: t.Price, Close: t.Price, Volume: t.Volume,
	}
	b.open = true
	b.openAt, b.closeAt = at, at
	b.seen(at)
}

func (b *Builder) merge(t *market.Tick, at int64) {
	if at < b.lastTime {
		b.stats.OutOfOrder++
	}
	c := &b.cur
	c.High = max(c.High, t.Price)
	c.Low = min(c.Low, t.Price)
	c.Volume += t.Volume
	if at < b.openAt {
		c.Open, b.openAt = t.Price, at
	}
	if at >= b.closeAt {
		c.Close, b.closeAt = t.Price, at
	}
	b.seen(at)
}

func (b *Builder) seen(at int64) {
	b.stats.Ticks++
	b.lastTime = max(b.lastTime, at)
}
