package record

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// FuzzDecodeLine: a spill line from a crashed or tampered file never panics
// the replay, and whatever decodes encodes back to the same record.
func FuzzDecodeLine(f *testing.F) {
	at := time.Date(2026, 3, 3, 9, 0, 0, 123456000, market.Seoul)
	seeds := []item{
		{kind: kindTick, tick: market.Tick{Time: at, Symbol: "005930", Price: 70100, Volume: 12, Bid: 70000, Ask: 70100, Seq: 9}},
		{kind: kindBar, bar: market.Bar{Symbol: "000660", Timeframe: market.Min1, Start: at, Open: 1, High: 3, Low: 1, Close: 2, Volume: 7}},
		{kind: kindEvent, event: Event{Time: at, Component: "feed", Level: "warn", Message: "reconnect", Details: json.RawMessage(`{"n":1}`)}},
	}
	for i := range seeds {
		var buf bytes.Buffer
		sf := &spillFile{enc: json.NewEncoder(&buf)}
		if err := sf.write(&seeds[i]); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
		f.Add(buf.Bytes()[:buf.Len()/2]) // torn
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"t":null,"b":{}}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		var it item
		if decodeLine(line, &it) != nil {
			return
		}
		var buf bytes.Buffer
		sf := &spillFile{enc: json.NewEncoder(&buf)}
		if err := sf.write(&it); err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var again item
		if err := decodeLine(buf.Bytes(), &again); err != nil {
			t.Fatalf("decode of re-encoded %q: %v", buf.Bytes(), err)
		}
		if again.kind != it.kind {
			t.Fatalf("kind %d became %d", it.kind, again.kind)
		}
	})
}
