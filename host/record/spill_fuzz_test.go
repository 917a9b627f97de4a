package record

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/qbtrading/qb/lib/market"
)

// spillRoundTrip writes it as a spill line and reads the line back.
func spillRoundTrip(t *testing.T, it *item) (item, []byte) {
	t.Helper()
	var buf bytes.Buffer
	sf := &spillFile{enc: json.NewEncoder(&buf)}
	if err := sf.write(it); err != nil {
		t.Fatalf("write %+v: %v", *it, err)
	}
	var back item
	if err := decodeLine(buf.Bytes(), &back); err != nil {
		t.Fatalf("decode of written %q: %v", buf.Bytes(), err)
	}
	return back, buf.Bytes()
}

// comparable returns the parts of it that a spill file must keep, with the
// time fields cut out (compared with Equal: a spill file keeps the instant,
// not the *Location or the monotonic reading) and JSON details in a canonical
// form (the encoder compacts a raw value and escapes <, >, & in it). The seq
// is not in the line: replay gives it from the file.
func comparable(it item) (rest item, times []time.Time) {
	rest = item{kind: it.kind}
	switch it.kind {
	case kindTick:
		rest.tick = it.tick
		times = append(times, rest.tick.Time)
		rest.tick.Time = time.Time{}
	case kindBar:
		rest.bar = it.bar
		times = append(times, rest.bar.Start)
		rest.bar.Start = time.Time{}
	case kindEvent:
		rest.event = it.event
		times = append(times, rest.event.Time)
		rest.event.Time = time.Time{}
		rest.event.Details = canonicalDetails(rest.event.Details)
	}
	return rest, times
}

func canonicalDetails(d json.RawMessage) json.RawMessage {
	if len(d) == 0 {
		return nil // the store keeps empty details as NULL too
	}
	if !json.Valid(d) {
		return d // kept byte for byte
	}
	var c, h bytes.Buffer
	if err := json.Compact(&c, d); err != nil {
		panic(err) // json.Valid said yes
	}
	json.HTMLEscape(&h, c.Bytes())
	return h.Bytes()
}

func sameRecord(t *testing.T, want, got item, line []byte) {
	t.Helper()
	w, wt := comparable(want)
	g, gt := comparable(got)
	for i := range wt {
		if !wt[i].Equal(gt[i]) {
			t.Fatalf("time %v came back as %v (line %q)", wt[i], gt[i], line)
		}
	}
	if !reflect.DeepEqual(w, g) {
		t.Fatalf("record changed in the spill file:\n want %+v\n got  %+v\n line %q", w, g, line)
	}
}

// FuzzDecodeLine: a spill line from a crashed or tampered file never panics
// the replay, and whatever decodes is written back as a line that decodes to
// the same record, every field of it.
func FuzzDecodeLine(f *testing.F) {
	at := time.Date(2026, 3, 3, 9, 0, 0, 123456000, market.Seoul)
	seeds := []item{
		{kind: kindTick, tick: market.Tick{Time: at, Symbol: "005930", Price: 70100, Volume: 12, Bid: 70000, Ask: 70100, Seq: 9}},
		{kind: kindTick, tick: market.Tick{Time: at, Symbol: "005930", Price: 70100, From: market.BarPoint{Frame: market.Min1, Low: 70000, High: 70200, Open: true}}},
		{kind: kindBar, bar: market.Bar{Symbol: "000660", Timeframe: market.Min1, Start: at, Open: 1, High: 3, Low: 1, Close: 2, Volume: 7}},
		{kind: kindEvent, event: Event{Time: at, Component: "feed", Level: "warn", Message: "reconnect", Details: json.RawMessage(`{"n":1}`)}},
		{kind: kindEvent, event: Event{Time: at, Component: "feed", Level: "warn", Message: "bad", Details: json.RawMessage("not json\xff")}},
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
	f.Add([]byte(`{"e":{"time":"2026-03-03T09:00:00.5-01:30","details":{ "a" : [1, 2.50, "<&>"] }}}`))
	f.Add([]byte(`{"e":{"details":"x","details_bytes":"eyJ9"}}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		var it item
		if decodeLine(line, &it) != nil {
			return
		}
		again, out := spillRoundTrip(t, &it)
		sameRecord(t, it, again, out)
	})
}

// FuzzSpillRoundTrip: any tick, bar or event the recorder can be given comes
// back from a spill file as the same record: every field, times as the same
// instant, event details byte for byte (or, when they are JSON, as the same
// JSON). Text is what JSON carries: valid UTF-8; other bytes in an event's
// text come back as U+FFFD, one per bad byte, as encoding/json writes them.
func FuzzSpillRoundTrip(f *testing.F) {
	f.Add(uint8(0), "005930", int64(1772496000123456789), int16(0), int32(9*3600), int64(70100), int64(12), int64(70000), int64(70100), int64(9), int64(60e9), true, "feed", "reconnect", []byte(`{"n":1}`))
	f.Add(uint8(1), "000660", int64(-6e17), int16(-1500), int32(-3600), int64(1), int64(3), int64(1), int64(2), int64(7), int64(0), false, "", "", []byte(nil))
	f.Add(uint8(2), "feed", int64(0), int16(7900), int32(0), int64(0), int64(0), int64(0), int64(0), int64(0), int64(0), false, "msg \x00 <&> \u2028", "bad \xff\xfe", []byte("not json \xff"))
	f.Add(uint8(2), "a", int64(1), int16(0), int32(1), int64(0), int64(0), int64(0), int64(0), int64(0), int64(0), false, "b", "c", []byte(" {\"a\": [1, 2.50, \"<x>\"]} "))
	f.Add(uint8(2), "a", int64(1), int16(0), int32(1), int64(0), int64(0), int64(0), int64(0), int64(0), int64(0), false, "b", "c", []byte(`null`))
	f.Fuzz(func(t *testing.T, k uint8, s string, nanos int64, years int16, offset int32, a, b, c, d, e, frame int64, open bool, s2, s3 string, details []byte) {
		// Times a spill file can hold: RFC 3339, years 0001-9999, zone
		// offsets of whole minutes under 24 h.
		at := time.Unix(0, nanos).AddDate(int(years), 0, 0)
		if y := at.Year(); y < 1 || y > 9999 {
			return
		}
		zone := time.FixedZone("Z", int(offset%(24*3600))/60*60)
		at = at.In(zone)
		if at.Year() < 1 || at.Year() > 9999 {
			return
		}
		if nanos%2 == 0 {
			at = at.Round(0) // and with no monotonic reading
		} else {
			at = at.Add(0)
		}
		var it item
		switch k % 3 {
		case 0:
			it = item{kind: kindTick, tick: market.Tick{Time: at, Symbol: market.Symbol(s), Price: a, Volume: b, Bid: c, Ask: d, Seq: e,
				From: market.BarPoint{Frame: market.Timeframe(frame), Low: b, High: d, Open: open}}}
		case 1:
			it = item{kind: kindBar, bar: market.Bar{Symbol: market.Symbol(s), Timeframe: market.Timeframe(frame), Start: at, Open: a, High: b, Low: c, Close: d, Volume: e}}
		case 2:
			it = item{kind: kindEvent, event: Event{Time: at, Component: s, Level: s2, Message: s3, Details: details}}
		}
		want := it
		fixText := func(p *string) { *p = encodedText(*p) }
		switch it.kind {
		case kindTick:
			fixText((*string)(&want.tick.Symbol))
		case kindBar:
			fixText((*string)(&want.bar.Symbol))
		case kindEvent:
			fixText(&want.event.Component)
			fixText(&want.event.Level)
			fixText(&want.event.Message)
		}
		got, line := spillRoundTrip(t, &it)
		sameRecord(t, want, got, line)
	})
}

// encodedText is s as encoding/json writes it: each byte that is not part of
// valid UTF-8 becomes U+FFFD.
func encodedText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r) // RuneError for a bad byte, n == 1
		i += n
	}
	return b.String()
}
