package stats

import (
	"encoding/binary"
	"encoding/json"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// FuzzCompute feeds arbitrary equity series and fills, in or out of order,
// valid or not: Compute must not panic, every figure must marshal to JSON
// (no NaN or Inf), and the rates must stay in their ranges.
func FuzzCompute(f *testing.F) {
	f.Add([]byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"), []byte("\x01\x81\x02\x82"))
	f.Add([]byte{}, []byte{0xff, 0x00, 0x7f})
	f.Fuzz(func(t *testing.T, eqData, fillData []byte) {
		r := Options{RiskFree: 0.03}.Compute(points(eqData), fills(fillData))
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("marshal %+v: %v", r, err)
		}
		if r.Exposure < 0 || r.Exposure > 1 || r.WinRate < 0 || r.WinRate > 1 || r.MaxDrawdown < 0 {
			t.Fatalf("out of range: %+v", r)
		}
		if r.Wins+r.Losses > r.RoundTrips || r.MaxDrawdownDuration < 0 {
			t.Fatalf("inconsistent: %+v", r)
		}
	})
}

// points reads 4 bytes a point: a signed step of up to ±32 767 minutes
// (mostly forward) and a signed equity.
func points(b []byte) []Point {
	var out []Point
	at := kst(2, 9, 0)
	for ; len(b) >= 4; b = b[4:] {
		at = at.Add(time.Duration(int16(binary.BigEndian.Uint16(b))) * time.Minute)
		out = append(out, Point{Time: at, Equity: int64(int16(binary.BigEndian.Uint16(b[2:]))) * 1000})
	}
	return out
}

// fills reads 2 bytes a fill: side and symbol from the first, quantity
// (0 included, so some are invalid) and price from the second.
func fills(b []byte) []market.Fill {
	var out []market.Fill
	for i := 0; len(b) >= 2; i, b = i+1, b[2:] {
		f := market.Fill{Symbol: symA, Side: market.Buy, Qty: int64(b[1] & 0x0f),
			Price: 1000 + int64(b[1]>>4)*10, Fee: int64(b[0] & 0x07), Time: at(int(b[0]>>4) - 4 + i)}
		if b[0]&0x08 != 0 {
			f.Side, f.Tax = market.Sell, 1
		}
		if b[0]&0x80 != 0 {
			f.Symbol = symB
		}
		out = append(out, f)
	}
	return out
}
