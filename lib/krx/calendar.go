package krx

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Calendar knows which KST dates KRX trades on and, for days with special
// hours, when. Saturdays and Sundays are always closed; any other day is a
// regular 09:00–15:30 trading day unless the calendar file says otherwise.
// A nil or zero Calendar closes weekends only.
//
// The file format, one entry a line:
//
//	# comment (also allowed after an entry)
//	2026-01-01                # a holiday: the market is closed
//	2026-01-02 10:00-15:30    # a trading day with special hours (KST)
//
// Blank lines are ignored. A weekend date may be listed as a holiday (many
// holidays fall on one) but not given hours. Each date may appear once.
// The calendar says nothing about years its file does not cover: every
// weekday there is a trading day.
type Calendar struct {
	days map[int]dayRule // keyed by yyyymmdd
}

// dayRule is one file entry: closed, or open with special hours.
type dayRule struct {
	closed      bool
	open, close time.Duration // offsets from KST midnight
	line        int
}

// LoadCalendar reads a calendar in the format described on Calendar. name
// is used in errors, which read "name:line: problem".
func LoadCalendar(r io.Reader, name string) (*Calendar, error) {
	c := &Calendar{days: make(map[int]dayRule)}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		if err := c.parseLine(sc.Text(), line); err != nil {
			return nil, fmt.Errorf("load calendar: %s:%d: %w", name, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("load calendar: %s: %w", name, err)
	}
	return c, nil
}

func (c *Calendar) parseLine(text string, line int) error {
	if i := strings.IndexByte(text, '#'); i >= 0 {
		text = text[:i]
	}
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return nil
	}
	if len(fields) > 2 {
		return fmt.Errorf("%q: want a date and optional hours HH:MM-HH:MM", strings.Join(fields, " "))
	}
	day, err := time.ParseInLocation(time.DateOnly, fields[0], market.Seoul)
	if err != nil {
		return fmt.Errorf("date %q: want YYYY-MM-DD", fields[0])
	}
	rule := dayRule{closed: true, line: line}
	if len(fields) == 2 {
		if weekend(day) {
			return fmt.Errorf("%s is a %s; weekends are always closed", fields[0], day.Weekday())
		}
		if rule.open, rule.close, err = parseHours(fields[1]); err != nil {
			return err
		}
		rule.closed = false
	}
	key := dateKey(day)
	if prev, dup := c.days[key]; dup {
		return fmt.Errorf("%s already listed on line %d", fields[0], prev.line)
	}
	c.days[key] = rule
	return nil
}

// parseHours reads "HH:MM-HH:MM" with open before close, within one day.
func parseHours(s string) (open, close time.Duration, err error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("hours %q: want HH:MM-HH:MM", s)
	}
	if open, err = parseClock(a); err != nil {
		return 0, 0, fmt.Errorf("hours %q: %w", s, err)
	}
	if close, err = parseClock(b); err != nil {
		return 0, 0, fmt.Errorf("hours %q: %w", s, err)
	}
	if open >= close {
		return 0, 0, fmt.Errorf("hours %q: open is not before close", s)
	}
	return open, close, nil
}

func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, fmt.Errorf("time %q: want HH:MM (00:00-23:59)", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// IsTradingDay reports whether KRX trades on the KST date of t.
func (c *Calendar) IsTradingDay(t time.Time) bool {
	_, ok := c.Session(t)
	return ok
}

// Session returns the regular session of the KST date of t, with the
// calendar's special hours applied, and false on a closed day.
func (c *Calendar) Session(t time.Time) (Session, bool) {
	day := dayStart(t)
	if weekend(day) {
		return Session{}, false
	}
	rule, listed := c.rule(day)
	switch {
	case !listed:
		return RegularSession(day), true
	case rule.closed:
		return Session{}, false
	}
	return Session{Open: day.Add(rule.open), Close: day.Add(rule.close)}, true
}

// InSession reports whether t falls within its date's session on a trading
// day.
func (c *Calendar) InSession(t time.Time) bool {
	s, ok := c.Session(t)
	return ok && s.Contains(t)
}

// NextTradingDay returns KST midnight of the first trading day strictly after
// the KST date of t.
func (c *Calendar) NextTradingDay(t time.Time) time.Time {
	day := dayStart(t)
	for {
		day = day.AddDate(0, 0, 1)
		if c.IsTradingDay(day) {
			return day
		}
	}
}

func (c *Calendar) rule(day time.Time) (dayRule, bool) {
	if c == nil {
		return dayRule{}, false
	}
	r, ok := c.days[dateKey(day)]
	return r, ok
}

func dateKey(day time.Time) int {
	y, m, d := day.Date()
	return y*10000 + int(m)*100 + d
}

func weekend(day time.Time) bool {
	wd := day.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
