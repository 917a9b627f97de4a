package kis

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseFrame feeds arbitrary messages through every parser the feed uses.
// None may panic; a successful parse must return exactly Count records.
func FuzzParseFrame(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "frames", "*"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	key := NoticeKey{Key: "tesnaipyhhcpfrnupdybjhvuabognuch", IV: "4060f9fcb7b4e2ef"}
	ct, _ := key.Encrypt([]byte("id^1234567801^1^^02^0^00^0^005930^10^65800^093015^0^2^2^06590^10^x^^1^Y^^^^y^65800"))
	f.Add(append([]byte("1|H0STCNI0|001|"), ct...))
	p := NewParser(fixedNow)
	f.Fuzz(func(t *testing.T, msg []byte) {
		fr, err := SplitFrame(msg)
		if err != nil {
			return
		}
		if fr.Kind == ControlFrame {
			c, err := ParseControl(fr.Payload)
			if err == nil {
				_ = c.Err()
			}
			return
		}
		if trades, err := p.Trades(fr, nil); err == nil && len(trades) != fr.Count {
			t.Fatalf("%d trades from a frame of %d", len(trades), fr.Count)
		}
		if books, err := p.OrderBooks(fr, nil); err == nil && len(books) != fr.Count {
			t.Fatalf("%d books from a frame of %d", len(books), fr.Count)
		}
		if ns, err := Notices(fr, key); err == nil && len(ns) != fr.Count {
			t.Fatalf("%d notices from a frame of %d", len(ns), fr.Count)
		}
	})
}
