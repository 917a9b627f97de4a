package kis

import (
	"bytes"
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// records cuts a '^'-joined payload of count records into records of equal
// width (§4.7: fields per record = total / count). Fields beyond what a parser
// knows are skipped by the caller, so wider live frames parse.
type records struct {
	rest  []byte
	width int
}

func newRecords(tr string, payload []byte, count, minWidth int) (records, error) {
	total := bytes.Count(payload, []byte{'^'}) + 1
	if total%count != 0 {
		return records{}, fmt.Errorf("kis frame %s: %d fields do not split into %d records", tr, total, count)
	}
	w := total / count
	if w < minWidth {
		return records{}, fmt.Errorf("kis frame %s: %d fields per record, want at least %d", tr, w, minWidth)
	}
	return records{rest: payload, width: w}, nil
}

// next returns the next field.
func (r *records) next() []byte {
	i := bytes.IndexByte(r.rest, '^')
	if i < 0 {
		f := r.rest
		r.rest = nil
		return f
	}
	f := r.rest[:i]
	r.rest = r.rest[i+1:]
	return f
}

// FieldError reports a field of a data frame that does not parse.
type FieldError struct {
	TR     string // TR id
	Record int    // 0-based record within the frame
	Index  int    // 0-based field position within the record
	Name   string // KIS field name, e.g. STCK_PRPR
	Value  string
	Msg    string
}

// Error names the TR, record, field and value.
func (e *FieldError) Error() string {
	return fmt.Sprintf("kis frame %s: record %d: field %d %s=%q: %s", e.TR, e.Record, e.Index, e.Name, e.Value, e.Msg)
}

// parseInt reads an optionally signed decimal integer; an empty field is 0
// (KIS leaves fields empty when they do not apply).
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, true
	}
	neg := false
	switch b[0] {
	case '-':
		neg, b = true, b[1:]
	case '+':
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// parseDecimal reads "-12.34"-style numbers without allocating. The result is
// the correctly rounded float64 of the decimal (an exact integer divided by an
// exact power of ten) for up to 15 significant digits.
func parseDecimal(b []byte) (float64, bool) {
	if len(b) == 0 {
		return 0, true
	}
	neg := false
	switch b[0] {
	case '-':
		neg, b = true, b[1:]
	case '+':
		b = b[1:]
	}
	var mant int64
	digits, frac, dot := 0, 0, false
	for _, c := range b {
		switch {
		case c == '.' && !dot:
			dot = true
		case c >= '0' && c <= '9':
			if digits == 18 {
				return 0, false
			}
			mant = mant*10 + int64(c-'0')
			digits++
			if dot {
				frac++
			}
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	v := float64(mant) / pow10[frac]
	if neg {
		v = -v
	}
	return v, true
}

func parseByte(b []byte) (byte, bool) {
	switch len(b) {
	case 0:
		return 0, true
	case 1:
		return b[0], true
	}
	return 0, false
}

// parseDate reads YYYYMMDD.
func parseDate(b []byte) (y, m, d int, ok bool) {
	if len(b) != 8 {
		return 0, 0, 0, false
	}
	v, ok := parseInt(b)
	if !ok || v < 0 {
		return 0, 0, 0, false
	}
	y, m, d = int(v/10000), int(v/100%100), int(v%100)
	return y, m, d, y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

// daysIn is the number of days in month m of year y: a date past it (Feb
// 30, Apr 31) is malformed, not a day of the next month.
func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseClock reads HHMMSS.
func parseClock(b []byte) (h, m, s int, ok bool) {
	if len(b) != 6 {
		return 0, 0, 0, false
	}
	v, ok := parseInt(b)
	if !ok || v < 0 {
		return 0, 0, 0, false
	}
	h, m, s = int(v/10000), int(v/100%100), int(v%100)
	return h, m, s, h <= 23 && m <= 59 && s <= 59
}

func kst(y, mo, d, h, mi, s int) time.Time {
	return time.Date(y, time.Month(mo), d, h, mi, s, 0, market.Seoul)
}
