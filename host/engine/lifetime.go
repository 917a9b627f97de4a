package engine

import (
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/krx"
)

// An order's life is counted in trading sessions, not in calendar days,
// so an order placed after the close, over a weekend or on the eve of a
// holiday waits for the next session and trades in it (see the package
// doc, "Order lifetime"). A session is a KST day in which the engine sees
// at least one trade; the count is the same in replay and live, for every
// feed, since it is made of the ticks themselves.

// inSession reports whether an order placed now can trade in the current
// session: the market has traded today and the regular session has not
// closed. An order at or after the close, or before the day's first
// trade, waits for the next session.
func (e *Engine) inSession() bool {
	return e.clocked && e.sessionDay == e.day && sinceMidnight(e.nowNs) < krx.RegularClose
}

// openSession starts the session of the clock's day at its first trade:
// every working order has now one more session of its life behind it.
func (e *Engine) openSession() {
	if e.sessionDay == e.day {
		return
	}
	e.sessionDay = e.day
	for _, s := range e.strats {
		for i := range s.acct.open {
			s.acct.open[i].sessions++
		}
	}
}

// expire cancels, as a KST day ends, the working orders whose life is
// spent: a day order that could trade in the session just ended, a GTC
// order after its last session. Orders that have not seen a session yet
// keep working. Each strategy hears of it through on_order.
func (e *Engine) expire() {
	for _, s := range e.strats {
		if !s.running() {
			continue
		}
		n := 0
		for i := len(s.acct.open) - 1; i >= 0; i-- {
			o := &s.acct.open[i]
			if o.sessions < o.Lifetime() {
				continue
			}
			if err := e.cancel(s, o.ID, expiry(o.Lifetime())); err != nil {
				s.log.Error().Err(err).Msg("cancel failed; order dropped from the books")
				s.acct.remove(i)
			}
			n++
		}
		if n > 0 {
			e.drain(s)
		}
	}
}

// expiry is the reason given to an order that expired.
func expiry(sessions int) string {
	if sessions == 1 {
		return "day ended"
	}
	return fmt.Sprintf("expired after %d sessions", sessions)
}

// sessionsSince estimates how many sessions an order placed at created
// (in an earlier run) has seen before the KST day today: the weekdays
// from its first session up to yesterday. Holidays are not known here, so
// an order restored after one may expire a session early, never late.
func sessionsSince(created time.Time, today int64) int {
	if created.IsZero() {
		return 0
	}
	ns := created.UnixNano()
	d := kstDay(ns)
	if sinceMidnight(ns) >= krx.RegularClose {
		d++ // placed after the close: its first session is a later day
	}
	n := 0
	for ; d < today; d++ {
		if weekday(d) {
			n++
		}
	}
	return n
}

// weekday reports whether KST day d (days since 1970-01-01, a Thursday)
// is Monday to Friday.
func weekday(d int64) bool {
	w := ((d % 7) + 7 + 4) % 7 // 0 = Sunday
	return w != 0 && w != 6
}

// sinceMidnight is the time of day in KST of ns (unix ns).
func sinceMidnight(ns int64) time.Duration {
	const day = int64(24 * time.Hour)
	ns += int64(9 * time.Hour)
	return time.Duration(((ns % day) + day) % day)
}
