package engine

import (
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Process runs one tick through the engine (see the package doc for the
// order of work). It does not allocate outside the strategies' hooks and
// order handling. A tick that fails validation is logged and skipped.
func (e *Engine) Process(t *market.Tick) {
	if e.stopped {
		return
	}
	if t.Time.IsZero() || t.Price <= 0 || t.Symbol == "" {
		e.log.Warn().Str("symbol", string(t.Symbol)).Int64("price", t.Price).Msg("invalid tick skipped")
		return
	}
	e.Advance(t.Time)
	e.openSession()
	y := e.symbol(t.Symbol)
	e.trade(y, t.Price)
	e.recheckMarketBuys(y)
	e.brokers(t)
	if t.Synthetic() {
		e.tellBarData(y, t.From.Frame)
	}
	for _, sr := range y.series {
		if sr.tf < t.From.Frame {
			continue // a made-up point inside a longer bar: no bar of its own
		}
		if b, ok := sr.b.Add(t); ok {
			e.deliverBar(sr, &b)
		}
		e.watch(sr)
	}
	if t.Synthetic() {
		return // on_tick sees trades that printed, never made-up prices
	}
	for _, s := range y.tickSubs {
		if s.running() {
			err := s.s.Tick(t)
			e.after(s, "on_tick", err)
		}
	}
}

// Advance moves the clock to now, if later. Bars whose end it passes
// close and are delivered at their end time, in order, so a strategy's
// ctx.now() in on_bar is the bar's end and an order it places there can
// fill on the first trade after it. A KST day that ends books an equity
// point per strategy.
func (e *Engine) Advance(now time.Time) {
	ns := now.UnixNano()
	if e.stopped || (e.clocked && ns <= e.nowNs) {
		return
	}
	if !e.clocked {
		e.clocked, e.nowNs, e.day = true, ns, kstDay(ns)
		e.now = now
		for _, s := range e.strats {
			s.acct.point(now, s.equity())
		}
		e.expireStale()
	}
	if ns >= e.nextEnd {
		e.closeDue(now)
	}
	e.setClock(now)
	e.dueCheckpoints()
}

// setClock moves the clock forward to t, booking day-end equity points
// when t is in a later KST day.
func (e *Engine) setClock(t time.Time) {
	ns := t.UnixNano()
	if ns <= e.nowNs {
		return
	}
	newDay := false
	if day := kstDay(ns); day > e.day {
		for _, s := range e.strats {
			s.acct.point(e.now, s.equity())
		}
		e.day, newDay = day, true
	}
	e.now, e.nowNs = t, ns
	if newDay {
		e.expire()
	}
}

// closedBar is a bar closed by the clock, waiting to be delivered.
type closedBar struct {
	sr  *series
	bar market.Bar
}

// closeDue closes every bar whose end is at or before now and delivers
// them in order of their end, then symbol and timeframe, each at its end.
func (e *Engine) closeDue(now time.Time) {
	e.closed = e.closed[:0]
	e.nextEnd = maxTime
	for _, sr := range e.series {
		if b, ok := sr.b.Advance(now); ok {
			e.closed = append(e.closed, closedBar{sr: sr, bar: b})
		}
		e.watch(sr)
	}
	// Insertion sort by end: stable (series are in symbol, timeframe
	// order), allocation-free, and the list is short.
	c := e.closed
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && c[j].bar.End().Before(c[j-1].bar.End()); j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
	for i := range c {
		e.setClock(c[i].bar.End())
		e.deliverBar(c[i].sr, &c[i].bar)
	}
}

const maxTime = int64(^uint64(0) >> 1)

// watch lowers nextEnd to the end of sr's forming bar.
func (e *Engine) watch(sr *series) {
	if cur, ok := sr.b.Current(); ok {
		if end := cur.Start.UnixNano() + int64(sr.tf); end < e.nextEnd {
			e.nextEnd = end
		}
	}
}

// deliverBar stores a closed bar and calls on_bar of its subscribers.
func (e *Engine) deliverBar(sr *series, b *market.Bar) {
	sr.push(b)
	if e.sink != nil {
		e.ev = Event{Kind: EventBar, Bar: *b}
		e.sink.Publish(&e.ev)
	}
	for _, s := range sr.subs {
		if s.running() {
			e.barArg = *b // a copy per call: a hook cannot change what the next one sees
			err := s.s.Bar(&e.barArg)
			e.after(s, "on_bar", err)
		}
	}
}

// brokers lets the market-driven brokers of strategies with working
// orders see the tick. A strategy's fills are all booked before its hooks
// hear of them, so that nothing a hook does (or a pause) can lose a fill
// that already happened at the venue.
func (e *Engine) brokers(t *market.Tick) {
	for _, s := range e.strats {
		if s.market == nil || len(s.acct.open) == 0 {
			continue
		}
		e.fills = s.market.OnTick(t, e.fills[:0])
		e.updates = e.updates[:0]
		n := 0
		for i := range e.fills {
			if upd, ok := e.book(s, &e.fills[i]); ok {
				e.fills[n] = e.fills[i]
				e.updates = append(e.updates, upd)
				n++
			}
		}
		for i := range n {
			e.tellFill(s, &e.fills[i], &e.updates[i])
		}
	}
}

// tellFill publishes a booked fill and tells the strategy: on_fill, then
// on_order with the order's new status.
func (e *Engine) tellFill(s *strat, f *market.Fill, upd *market.Order) {
	if e.sink != nil {
		e.ev = Event{Kind: EventFill, Strategy: s.name, Fill: *f}
		e.sink.Publish(&e.ev)
	}
	e.notify(s, upd)
	s.ckpt.filled = true
	var err error
	if s.wantsFill && s.running() {
		e.fillArg = *f
		e.fillArg.OrderID = f.OrderSeq // the strategy's view (host.go)
		err = s.s.Fill(&e.fillArg)
	}
	e.after(s, "on_fill", err)
}

// tellBarData says once to each strategy of y what bar data withholds
// from it: on_tick, whose prices would be made up, and bars shorter than
// the data's.
func (e *Engine) tellBarData(y *symbol, frame market.Timeframe) {
	for _, s := range y.tickSubs {
		if !s.toldBars {
			s.toldBars = true
			s.log.Warn().Str("symbol", string(y.sym)).Stringer("data", frame).
				Msg("the data are bars: on_tick is not called, on_bar gets the closed bars")
		}
	}
	for _, sr := range y.series {
		for _, s := range sr.subs {
			if sr.tf < frame && !s.toldBars {
				s.toldBars = true
				s.log.Warn().Str("symbol", string(y.sym)).Stringer("data", frame).Stringer("timeframe", sr.tf).
					Msg("the data are bars longer than the strategy's timeframe: it gets no bars")
			}
		}
	}
}
