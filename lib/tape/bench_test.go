package tape

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

// tickTape writes n ticks in the documented format, RFC 3339 times in KST.
func tickTape(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString("time,symbol,price,volume,bid,ask,seq\n")
	for i := range n {
		s := 9*3600 + i/4
		fmt.Fprintf(&buf, "2024-03-04T%02d:%02d:%02d.%03d+09:00,005930,%d,%d,%d,%d,%d\n",
			s/3600, s/60%60, s%60, i%4*250, 72000+i%5*100, 1+i%40, 71900+i%5*100, 72000+i%5*100, i+1)
	}
	return buf.Bytes()
}

// BenchmarkNextTick: one op is one row of a 100,000-row tape.
func BenchmarkNextTick(b *testing.B) {
	const rows = 100_000
	data := tickTape(rows)
	b.ReportAllocs()
	b.SetBytes(int64(len(data) / rows))
	var r *Reader
	var tk market.Tick
	for b.Loop() {
		if r == nil {
			var err error
			if r, err = NewReader(bytes.NewReader(data), "bench.csv", Options{}); err != nil {
				b.Fatal(err)
			}
		}
		if err := r.NextTick(&tk); err != nil {
			if !errors.Is(err, io.EOF) {
				b.Fatal(err)
			}
			r = nil
		}
	}
}

// BenchmarkReadBars: one op reads all 976 rows of a real daily file.
func BenchmarkReadBars(b *testing.B) {
	data, err := os.ReadFile("../../testdata/krx/daily/005930.csv")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadBars(bytes.NewReader(data), "005930.csv", Options{Symbol: "005930"}); err != nil {
			b.Fatal(err)
		}
	}
}
