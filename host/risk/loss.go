package risk

import "time"

// kstDay numbers the KST calendar day holding t (days since 1970-01-01 KST).
func kstDay(t time.Time) int64 {
	const offset = 9 * int64(time.Hour)
	ns := unixNano(t) + offset
	d := ns / int64(24*time.Hour)
	if ns < 0 && ns%int64(24*time.Hour) != 0 {
		d--
	}
	return d
}

// roll starts a new KST day when t is in a later day than the gate's:
// every equity seen last becomes the day's starting value, and the loss
// latches are cleared.
func (g *Gate) roll(t time.Time) {
	d := kstDay(t)
	if d <= g.day {
		return
	}
	g.day = d
	for i := range g.strats {
		s := &g.strats[i]
		s.dayStart, s.lossHit = s.equity, false
	}
	g.acctDayStart, g.acctLossHit = g.acctEquity, false
}

// Mark tells the gate a strategy's equity (cash plus positions at the last
// price) at now, the engine's clock. The engine calls it whenever the
// equity may have changed: after fills and when a held symbol trades. A
// loss reaching a daily limit latches until the next KST day, even if the
// equity recovers.
func (g *Gate) Mark(id ID, now time.Time, equity int64) {
	g.roll(now)
	s := &g.strats[id]
	g.acctEquity += equity - s.equity
	s.equity = equity
	if l := g.lim.MaxDailyLoss; l > 0 && s.dayStart-s.equity >= l {
		s.lossHit = true
	}
	if l := g.lim.MaxAccountDailyLoss; l > 0 && g.acctDayStart-g.acctEquity >= l {
		g.acctLossHit = true
	}
}

// Halted reports whether the account's daily loss limit stopped all new
// orders for the current day.
func (g *Gate) Halted() bool { return g.acctLossHit }

// Stopped reports whether the strategy's daily loss limit stopped its new
// orders for the current day.
func (g *Gate) Stopped(id ID) bool { return g.strats[id].lossHit }

// unixNano is t in unix nanoseconds, with the zero time (an order placed
// in on_start, before the clock has started) long before any real time,
// where time.Time.UnixNano is undefined.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return -1 << 62
	}
	return t.UnixNano()
}
