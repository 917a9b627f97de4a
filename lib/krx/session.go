package krx

import (
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// The regular session's hours in KST, as offsets from local midnight.
const (
	RegularOpen  = 9 * time.Hour                 // 09:00, continuous trading starts
	RegularClose = 15*time.Hour + 30*time.Minute // 15:30, the closing auction's match
)

// Session is one trading day's regular session, [Open, Close] with both ends
// included, so that a closing-auction print stamped at the close counts as
// in session.
type Session struct {
	Open, Close time.Time
}

// Contains reports whether t falls within the session.
func (s Session) Contains(t time.Time) bool {
	return !t.Before(s.Open) && !t.After(s.Close)
}

// RegularSession returns the 09:00–15:30 KST session of the KST calendar date
// that t falls on. It does not know about holidays or special hours; a
// Calendar does.
func RegularSession(t time.Time) Session {
	day := dayStart(t)
	return Session{Open: day.Add(RegularOpen), Close: day.Add(RegularClose)}
}

// InRegularSession reports whether t is within 09:00–15:30 KST (both ends
// included) of its KST date, on any day of the week; combine with
// Calendar.IsTradingDay, or use Calendar.InSession, for real trading days.
func InRegularSession(t time.Time) bool { return RegularSession(t).Contains(t) }

// dayStart returns local midnight, in Asia/Seoul, of the KST date of t.
func dayStart(t time.Time) time.Time {
	y, m, d := t.In(market.Seoul).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, market.Seoul)
}
