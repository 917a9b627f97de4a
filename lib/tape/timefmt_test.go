package tape

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

func TestParseTime(t *testing.T) {
	kst := func(y, mo, d, h, mi, s, ns int) time.Time {
		return time.Date(y, time.Month(mo), d, h, mi, s, ns, market.Seoul)
	}
	tests := []struct {
		in   string
		want time.Time
		err  string
	}{
		{"20160104", kst(2016, 1, 4, 0, 0, 0, 0), ""},
		{"20160104090130", kst(2016, 1, 4, 9, 1, 30, 0), ""},
		{"1996-12-26", kst(1996, 12, 26, 0, 0, 0, 0), ""},
		{"2024-03-04T09:00:00+09:00", kst(2024, 3, 4, 9, 0, 0, 0), ""},
		{"2024-03-04T00:00:00Z", kst(2024, 3, 4, 9, 0, 0, 0), ""},
		{"2024-03-04T09:00:00.25+09:00", kst(2024, 3, 4, 9, 0, 0, 250e6), ""},
		{"2024-03-03T23:59:00-01:00", kst(2024, 3, 4, 9, 59, 0, 0), ""},
		{"", time.Time{}, "empty"},
		{"18991231", time.Time{}, `"18991231" is outside the years 1900-2199`},
		{"9999-12-31T23:59:59Z", time.Time{}, `"9999-12-31T23:59:59Z" is outside the years 1900-2199`},
		{"21991231235959", kst(2199, 12, 31, 23, 59, 59, 0), ""},
		{"20240230", time.Time{}, `"20240230" is not a valid date and time`},
		{"20240304240000", time.Time{}, `"20240304240000" is not a valid date and time`},
		{"2024-13-01", time.Time{}, `"2024-13-01" is not a valid date and time`},
		{"2024-03-04 09:00:00", time.Time{}, `"2024-03-04 09:00:00" is not a time (want YYYYMMDD, YYYYMMDDHHMMSS, YYYY-MM-DD or RFC 3339)`},
		{"2024030", time.Time{}, `"2024030" is not a time (want YYYYMMDD, YYYYMMDDHHMMSS, YYYY-MM-DD or RFC 3339)`},
		{"2024-0a-04", time.Time{}, `"2024-0a-04" is not a time (want YYYYMMDD, YYYYMMDDHHMMSS, YYYY-MM-DD or RFC 3339)`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseTime(tc.in)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("parseTime(%q) = %v, %v; want error %q", tc.in, got, err, tc.err)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) {
				t.Fatalf("parseTime(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}
