package tape

import (
	"fmt"
	"strings"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// parseTime reads the time formats of the package doc. Compact and ISO
// dates mean Asia/Seoul; RFC 3339 carries its own offset. A +09:00 offset
// parses into market.Seoul without allocating a zone.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return time.Time{}, errEmpty
	case len(s) == 8 && allDigits(s):
		return seoulDate(s, s[0:4], s[4:6], s[6:8], "00", "00", "00")
	case len(s) == 14 && allDigits(s):
		return seoulDate(s, s[0:4], s[4:6], s[6:8], s[8:10], s[10:12], s[12:14])
	case len(s) == 10 && s[4] == '-' && s[7] == '-' && allDigits(s[0:4]) && allDigits(s[5:7]) && allDigits(s[8:10]):
		return seoulDate(s, s[0:4], s[5:7], s[8:10], "00", "00", "00")
	}
	t, err := time.ParseInLocation(time.RFC3339, s, market.Seoul)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a time (want YYYYMMDD, YYYYMMDDHHMMSS, YYYY-MM-DD or RFC 3339)", s)
	}
	return inRange(s, t)
}

// The years a time may fall in: far inside the range of UnixNano, which
// bar alignment uses, and wide enough for any market data.
const minYear, maxYear = 1900, 2199

func inRange(s string, t time.Time) (time.Time, error) {
	if y := t.Year(); y < minYear || y > maxYear {
		return time.Time{}, fmt.Errorf("%q is outside the years %d-%d", s, minYear, maxYear)
	}
	return t, nil
}

// seoulDate builds a KST time from digit strings and rejects values that
// time.Date would normalise, such as February 30th or 24:00.
func seoulDate(s, y, mo, d, h, mi, sec string) (time.Time, error) {
	n := [6]int{atoi(y), atoi(mo), atoi(d), atoi(h), atoi(mi), atoi(sec)}
	t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, market.Seoul)
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] ||
		t.Hour() != n[3] || t.Minute() != n[4] || t.Second() != n[5] {
		return time.Time{}, fmt.Errorf("%q is not a valid date and time", s)
	}
	return inRange(s, t)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi reads a string of at most a few digits, already checked.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
