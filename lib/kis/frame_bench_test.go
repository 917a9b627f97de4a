package kis

import (
	"strings"
	"testing"
)

func BenchmarkParseTradeFrame(b *testing.B) {
	rec := string(readFrame(b, "h0stcnt0_2023-03-24.txt"))[len("0|H0STCNT0|001|"):]
	for _, n := range []int{1, 4} {
		msg := []byte("0|H0STCNT0|00" + string(rune('0'+n)) + "|" + strings.TrimSuffix(strings.Repeat(rec+"^", n), "^"))
		b.Run("records="+string(rune('0'+n)), func(b *testing.B) {
			p := NewParser(nil)
			dst := make([]Trade, 0, 8)
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				f, err := SplitFrame(msg)
				if err != nil {
					b.Fatal(err)
				}
				if dst, err = p.Trades(f, dst[:0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseOrderBookFrame(b *testing.B) {
	msg := readFrame(b, "h0stasp0_live.txt")
	p := NewParser(nil)
	dst := make([]OrderBook, 0, 1)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := SplitFrame(msg)
		if err != nil {
			b.Fatal(err)
		}
		if dst, err = p.OrderBooks(f, dst[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTradeFrameAllocs keeps the zero-allocation promise of the hot path
// honest: it counts allocations, it does not time anything.
func TestTradeFrameAllocs(t *testing.T) {
	msg := readFrame(t, "h0stcnt0_2023-03-24.txt")
	p := NewParser(nil)
	dst := make([]Trade, 0, 4)
	allocs := testing.AllocsPerRun(100, func() {
		f, _ := SplitFrame(msg)
		dst, _ = p.Trades(f, dst[:0])
	})
	if allocs != 0 {
		t.Errorf("%v allocations per trade frame, want 0", allocs)
	}
}

func BenchmarkNoticeFrame(b *testing.B) {
	key := NoticeKey{Key: "tesnaipyhhcpfrnupdybjhvuabognuch", IV: "4060f9fcb7b4e2ef"}
	ct, err := key.Encrypt([]byte("myhtsid^1234567801^0000006555^^02^0^00^0^005930^10^65800^093015^0^2^2^06590^10^x^^1^Y^^^^y^65800"))
	if err != nil {
		b.Fatal(err)
	}
	msg := append([]byte("1|H0STCNI0|001|"), ct...)
	b.ReportAllocs()
	for b.Loop() {
		f, err := SplitFrame(msg)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Notices(f, key); err != nil {
			b.Fatal(err)
		}
	}
}
