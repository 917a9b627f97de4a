package kis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
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

// FuzzControlRoundTrip: a control message built from arbitrary field values,
// in the shapes KIS and kistest send (header and body, body only, PINGPONG
// with header only), splits as a control frame and parses to exactly the
// values it was built from, classified as §4.3–4.5 say.
func FuzzControlRoundTrip(f *testing.F) {
	f.Add(true, true, true, "H0STASP0", "005930", "N", "", "0", "OPSP0000", "SUBSCRIBE SUCCESS", "4060f9fcb7b4e2ef", "tesnaipyhhcpfrnupdybjhvuabognuch", false)
	f.Add(true, true, false, "H0STCNT0", "005930", "N", "", "0", "OPSP0001", "UNSUBSCRIBE SUCCESS", "", "", true)
	f.Add(true, true, false, "H0STCNT0", "005930", "N", "", "1", "OPSP0002", "ALREADY IN SUBSCRIBE", "", "", false)
	f.Add(true, true, true, "H0STCNI0", "hts", "Y", "", "0", "", "UNSUB OK", "iv", "key", false)
	f.Add(false, true, false, "", "", "", "", "1", "OPSP0003", "UNSUBSCRIBE ERROR(not found!)", "", "", false)
	f.Add(false, true, false, "", "", "", "", "9", "OPSP8996", "ALREADY IN USE appkey", "", "", true)
	f.Add(true, false, false, "PINGPONG", "", "", "20250725100000", "", "", "", "", "", false)
	f.Add(true, false, false, "H0STCNT0", "", "", "", "", "", "", "", "", false)
	f.Fuzz(func(t *testing.T, header, body, output bool, tr, key, encrypt, datetime, rtCd, msgCd, msg, iv, aesKey string, crlf bool) {
		// JSON text is UTF-8: other bytes cannot be sent as themselves.
		for _, s := range []*string{&tr, &key, &encrypt, &datetime, &rtCd, &msgCd, &msg, &iv, &aesKey} {
			*s = strings.ToValidUTF8(*s, "?")
		}
		m := map[string]any{}
		var want Control
		if header {
			m["header"] = map[string]string{"tr_id": tr, "tr_key": key, "encrypt": encrypt, "datetime": datetime}
			want = Control{TR: tr, Key: key, Encrypt: encrypt == "Y", Datetime: datetime}
		}
		if body {
			b := map[string]any{"rt_cd": rtCd, "msg_cd": msgCd, "msg1": msg}
			want.RtCd, want.MsgCd, want.Msg = rtCd, msgCd, msg
			if output {
				b["output"] = map[string]string{"iv": iv, "key": aesKey}
				want.IV, want.AESKey = iv, aesKey
			}
			m["body"] = b
			switch {
			case msgCd == "OPSP0000" || msgCd == "OPSP0002": // 0002: already subscribed, still active
				want.Kind = Subscribed
			case msgCd == "OPSP0001":
				want.Kind = Unsubscribed
			case rtCd == "0" && strings.HasPrefix(msg, "UNSUB"):
				want.Kind = Unsubscribed
			case rtCd == "0":
				want.Kind = Subscribed
			default:
				want.Kind = ControlError
			}
		}
		msgJSON, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		raw := msgJSON
		if crlf {
			raw = append(append([]byte{}, msgJSON...), "\r\n"...)
		}
		fr, err := SplitFrame(raw)
		if err != nil || fr.Kind != ControlFrame || !bytes.Equal(fr.Payload, msgJSON) {
			t.Fatalf("SplitFrame(%q) = %+v, %v; want a control frame of the whole message", raw, fr, err)
		}
		got, err := ParseControl(fr.Payload)
		if !body {
			if tr == TRPingPong && header {
				want.Kind = PingPong
			} else {
				if err == nil {
					t.Fatalf("ParseControl(%s) = %+v, want an error: no body and not a PINGPONG", msgJSON, got)
				}
				return
			}
		}
		if err != nil {
			t.Fatalf("ParseControl(%s): %v", msgJSON, err)
		}
		if got != want {
			t.Fatalf("ParseControl(%s)\n got  %+v\n want %+v", msgJSON, got, want)
		}
		apiErr := got.Err()
		if want.Kind != ControlError {
			if apiErr != nil {
				t.Fatalf("Err() of a %v message = %v, want nil", want.Kind, apiErr)
			}
			return
		}
		var ae *APIError
		if !errors.As(apiErr, &ae) || ae.Code != msgCd || ae.Msg != msg || ae.RtCd != rtCd || ae.TR != want.TR {
			t.Fatalf("Err() = %#v, want APIError{Code:%q Msg:%q RtCd:%q TR:%q}", apiErr, msgCd, msg, rtCd, want.TR)
		}
	})
}

// FuzzDataFrameRoundTrip: a data frame header written from arbitrary parts
// (§4.7: flag|TR|count|payload) splits back into exactly those parts.
func FuzzDataFrameRoundTrip(f *testing.F) {
	f.Add(false, TRTrade, uint16(0), true, []byte("005930^093015^65800"))
	f.Add(true, TRNotice, uint16(1), false, []byte("aGVsbG8=\r\n"))
	f.Add(false, "X", uint16(998), true, []byte("a|b|c^"))
	f.Add(false, TROrderBook, uint16(2), false, []byte(""))
	f.Fuzz(func(t *testing.T, encrypted bool, tr string, count uint16, pad bool, payload []byte) {
		if tr == "" || strings.ContainsAny(tr, "|") {
			return // not a TR id
		}
		n := int(count%999) + 1
		flag, cnt := "0", strconv.Itoa(n)
		if encrypted {
			flag = "1"
		}
		if pad {
			cnt = fmt.Sprintf("%03d", n)
		}
		msg := append([]byte(flag+"|"+tr+"|"+cnt+"|"), payload...)
		got, err := SplitFrame(msg)
		if err != nil {
			t.Fatalf("SplitFrame(%q): %v", msg, err)
		}
		want := bytes.TrimRight(payload, "\r\n") // a message's line end is not payload
		if got.Kind != DataFrame || got.Encrypted != encrypted || got.TR != tr || got.Count != n || !bytes.Equal(got.Payload, want) {
			t.Fatalf("SplitFrame(%q) = {Kind:%v Encrypted:%v TR:%q Count:%d Payload:%q}, want {%v %v %q %d %q}",
				msg, got.Kind, got.Encrypted, got.TR, got.Count, got.Payload, DataFrame, encrypted, tr, n, want)
		}
	})
}

// FuzzTradeRoundTrip: an H0STCNT0 frame written from a Trade (every field
// §6 maps, records of 46 or more fields, one or more records) parses back to
// that Trade, field for field. The date and clock fields come from arbitrary
// digits: the parse succeeds exactly when they name a real KST instant, and
// the Time it gives is that instant.
func FuzzTradeRoundTrip(f *testing.F) {
	f.Add("005930", uint16(2023), uint8(3), uint8(24), uint8(9), uint8(30), uint8(15), uint8(0), uint8(0), int64(1))
	f.Add("000660", uint16(2026), uint8(2), uint8(31), uint8(15), uint8(20), uint8(0), uint8(2), uint8(1), int64(2))
	f.Add("A", uint16(2024), uint8(2), uint8(29), uint8(23), uint8(59), uint8(59), uint8(1), uint8(3), int64(3))
	f.Add("Q", uint16(2023), uint8(4), uint8(31), uint8(24), uint8(0), uint8(0), uint8(0), uint8(0), int64(4))
	p := NewParser(fixedNow)
	f.Fuzz(func(t *testing.T, sym string, y uint16, mo, d, h, mi, s, extra, count uint8, seed int64) {
		if sym == "" || strings.ContainsAny(sym, "^") || strings.HasSuffix(sym, "\r") || strings.HasSuffix(sym, "\n") {
			return // a symbol field holds no separator
		}
		if y < 1900 || y > 9999 || mo > 99 || d > 99 || h > 99 || mi > 99 || s > 99 {
			return // not 8 + 6 digits
		}
		date := fmt.Sprintf("%04d%02d%02d", y, mo, d)
		clock := fmt.Sprintf("%02d%02d%02d", h, mi, s)
		at := time.Date(int(y), time.Month(mo), int(d), int(h), int(mi), int(s), 0, market.Seoul)
		real := at.Format("20060102") == date && at.Format("150405") == clock

		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		n := int(count%4) + 1
		width := TradeFields + int(extra%3)
		var want []Trade
		var fields []string
		for r := 0; r < n; r++ {
			tr, rec := randomTrade(rng, market.Symbol(sym), date, clock, width)
			tr.Time, tr.Fields = at, width
			want = append(want, tr)
			fields = append(fields, rec...)
		}
		msg := []byte(fmt.Sprintf("0|%s|%03d|%s", TRTrade, n, strings.Join(fields, "^")))
		fr, err := SplitFrame(msg)
		if err != nil {
			t.Fatalf("SplitFrame(%q): %v", msg, err)
		}
		got, err := p.Trades(fr, nil)
		if !real {
			var fe *FieldError
			if err == nil {
				t.Fatalf("date %s clock %s is no real instant, yet parsed as %v", date, clock, got[0].Time)
			}
			if !errors.As(err, &fe) || (fe.Name != "BSOP_DATE" && fe.Name != "STCK_CNTG_HOUR") {
				t.Fatalf("date %s clock %s: error %v, want one naming BSOP_DATE or STCK_CNTG_HOUR", date, clock, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Trades(%q): %v", msg, err)
		}
		if len(got) != n {
			t.Fatalf("%d trades from a frame of %d", len(got), n)
		}
		for i := range got {
			g, w := got[i], want[i]
			if !g.Time.Equal(w.Time) {
				t.Fatalf("trade %d: time %v, want %v (date %s clock %s)", i, g.Time, w.Time, date, clock)
			}
			g.Time, w.Time = time.Time{}, time.Time{}
			if g != w {
				t.Fatalf("trade %d of %q:\n got  %+v\n want %+v", i, msg, g, w)
			}
		}
	})
}

// randomTrade returns a Trade with random values in every field the parser
// maps, and its record: width '^'-separated fields as §6 orders them. Time
// and Fields are left for the caller.
func randomTrade(rng *rand.Rand, sym market.Symbol, date, clock string, width int) (Trade, []string) {
	var tr Trade
	rec := make([]string, width)
	for i := range rec {
		rec[i] = strconv.Itoa(rng.IntN(1000)) // fields the parser skips
	}
	rec[0], tr.Symbol = string(sym), sym
	rec[1], rec[33] = clock, date
	for i := 0; i < TradeFields; i++ {
		switch {
		case tradeInt(&tr, i) != nil:
			v := rng.Int64N(2e18) - 1e18 + 1 // up to 18 digits: KIS fields are narrower
			if rng.IntN(8) == 0 {
				v = 0
			}
			*tradeInt(&tr, i) = v
			rec[i] = strconv.FormatInt(v, 10)
			switch {
			case v == 0 && rng.IntN(2) == 0:
				rec[i] = "" // KIS leaves fields that do not apply empty
			case v > 0 && rng.IntN(4) == 0:
				rec[i] = "+" + rec[i]
			}
		case tradeDecimal(&tr, i) != nil:
			// up to 15 significant digits, up to 6 after the point
			mant, frac := rng.Int64N(2e15-1)-(1e15-1), rng.IntN(7)
			txt := strconv.FormatInt(mant, 10)
			if frac > 0 {
				neg := mant < 0
				digits := strings.TrimPrefix(txt, "-")
				for len(digits) <= frac {
					digits = "0" + digits
				}
				txt = digits[:len(digits)-frac] + "." + digits[len(digits)-frac:]
				if neg {
					txt = "-" + txt
				}
			}
			v, err := strconv.ParseFloat(txt, 64)
			if err != nil {
				panic(err)
			}
			*tradeDecimal(&tr, i), rec[i] = v, txt
		case tradeByte(&tr, i) != nil:
			b := byte(rng.IntN(256))
			if b == '^' {
				b = 0
			}
			*tradeByte(&tr, i) = b
			if b != 0 {
				rec[i] = string([]byte{b})
			} else {
				rec[i] = ""
			}
		}
	}
	if rng.IntN(4) > 0 {
		tr.MarketOp = [2]byte{'0' + byte(rng.IntN(10)), '0' + byte(rng.IntN(10))}
		rec[34] = string(tr.MarketOp[:])
	} else {
		rec[34] = ""
	}
	tr.Halted = rng.IntN(2) == 0
	rec[35] = map[bool]string{true: "Y", false: "N"}[tr.Halted]
	return tr, rec
}
