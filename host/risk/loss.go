package risk

import (
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// trip is a daily loss breaker's latch. It keeps the loss and the time at
// which it tripped, because the equity may recover while the latch holds
// and a reason computed from it then would show a smaller, or negative,
// loss than the one that stopped the orders.
type trip struct {
	hit  bool
	loss int64 // won, at the Mark that tripped it
	at   time.Time
}

// set latches the breaker when loss reaches limit (a limit of 0 or less
// is off); a latched breaker keeps its first loss and time.
func (t *trip) set(loss, limit int64, at time.Time) {
	if t.hit || limit <= 0 || loss < limit {
		return
	}
	*t = trip{hit: true, loss: loss, at: at}
}

// String is the reason's "lost 5,123,000 won today by 2016-05-26 10:00 KST".
func (t trip) String() string {
	return "lost " + won(t.loss) + " won today by " + t.at.In(market.Seoul).Format("2006-01-02 15:04 KST")
}

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
// breakers are reset.
func (g *Gate) roll(t time.Time) {
	d := kstDay(t)
	if d <= g.day {
		return
	}
	g.day = d
	for i := range g.strats {
		s := &g.strats[i]
		s.dayStart, s.loss = s.equity, trip{}
	}
	g.acctDayStart, g.acctLoss = g.acctEquity, trip{}
}

// Mark tells the gate a strategy's equity (cash plus positions at the last
// price) at now, the engine's clock. The engine calls it whenever the
// equity may have changed: after fills and when a held symbol trades. A
// loss reaching a daily limit trips a breaker that holds until the next KST
// day, even if the equity recovers; the rejections it causes name the loss
// and the time at which it tripped.
func (g *Gate) Mark(id ID, now time.Time, equity int64) {
	g.roll(now)
	s := &g.strats[id]
	g.acctEquity += equity - s.equity
	s.equity = equity
	s.loss.set(s.dayStart-s.equity, g.lim.MaxDailyLoss, now)
	g.acctLoss.set(g.acctDayStart-g.acctEquity, g.lim.MaxAccountDailyLoss, now)
}

// Halted reports whether the account's daily loss limit stopped every
// strategy's new orders, exits excepted, for the current day.
func (g *Gate) Halted() bool { return g.acctLoss.hit }

// Stopped reports whether the strategy's daily loss limit stopped its new
// orders, exits excepted, for the current day.
func (g *Gate) Stopped(id ID) bool { return g.strats[id].loss.hit }

// unixNano is t in unix nanoseconds, with the zero time (an order placed
// in on_start, before the clock has started) long before any real time,
// where time.Time.UnixNano is undefined.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return -1 << 62
	}
	return t.UnixNano()
}
