package kis

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

func readFrame(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "frames", name))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimRight(b, "\n")
}

func fixedNow() time.Time { return time.Date(2025, 7, 25, 10, 0, 0, 0, market.Seoul) }

// The real 2023-03-24 capture (KIS.md §13.1), every parsed field.
func TestTradeRealFrame(t *testing.T) {
	msg := readFrame(t, "h0stcnt0_2023-03-24.txt")
	f, err := SplitFrame(msg)
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != DataFrame || f.Encrypted || f.TR != TRTrade || f.Count != 1 {
		t.Fatalf("frame header = %+v", f)
	}
	got, err := NewParser(fixedNow).Trades(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Trade{
		Symbol: "005930", Time: time.Date(2023, 3, 24, 11, 26, 16, 0, market.Seoul),
		Price: 62700, Sign: '2', Change: 400, ChangeRate: 0.64, VWAP: 62700.41,
		Open: 62700, High: 63000, Low: 62300, Ask: 62700, Bid: 62600,
		Volume: 125, CumVolume: 9694968, CumValue: 607878273600,
		SellCount: 25807, BuyCount: 15918, NetCount: -9889, Strength: 93.01,
		SellVolume: 4614191, BuyVolume: 4291558, Aggressor: '1', MarketOp: [2]byte{'2', '0'},
		Halted: false, AskSize: 71292, BidSize: 244009, TotalAskSize: 2795345, TotalBidSize: 2044512,
		HourClass: '0', VIPrice: 62700, Fields: 46,
	}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	tick := got[0].Tick()
	if err := tick.Validate(); err != nil {
		t.Errorf("tick from the real frame is invalid: %v", err)
	}
}

// Several records per frame, and a wider live layout (47 fields, §6 note):
// records are cut at total/count and the extra field ignored.
func TestTradeMultiRecordAndExtraFields(t *testing.T) {
	rec := string(readFrame(t, "h0stcnt0_2023-03-24.txt"))[len("0|H0STCNT0|001|"):]
	second := strings.Replace(rec, "^112616^62700^", "^112617^62800^", 1)
	cases := []struct {
		name   string
		msg    string
		prices []int64
		fields int
	}{
		{"two records", "0|H0STCNT0|002|" + rec + "^" + second, []int64{62700, 62800}, 46},
		{"47 fields", "0|H0STCNT0|001|" + rec + "^2", []int64{62700}, 47},
		{"two records of 47", "0|H0STCNT0|002|" + rec + "^2^" + second + "^2", []int64{62700, 62800}, 47},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := SplitFrame([]byte(c.msg))
			if err != nil {
				t.Fatal(err)
			}
			got, err := NewParser(nil).Trades(f, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.prices) {
				t.Fatalf("%d records, want %d", len(got), len(c.prices))
			}
			for i, p := range c.prices {
				if got[i].Price != p || got[i].Fields != c.fields || got[i].VIPrice != 62700 {
					t.Errorf("record %d: price %d fields %d vi %d", i, got[i].Price, got[i].Fields, got[i].VIPrice)
				}
			}
		})
	}
}

func TestTradeBadFrames(t *testing.T) {
	rec := string(readFrame(t, "h0stcnt0_2023-03-24.txt"))[len("0|H0STCNT0|001|"):]
	cases := []struct{ name, msg, want string }{
		{"empty", "", "empty message"},
		{"bad flag", "2|H0STCNT0|001|x", "first byte"},
		{"no tr", "0|", "missing TR id"},
		{"no count", "0|H0STCNT0", "missing record count"},
		{"count zero", "0|H0STCNT0|000|" + rec, "not 001..999"},
		{"count letters", "0|H0STCNT0|0a1|" + rec, "not 001..999"},
		{"uneven records", "0|H0STCNT0|002|" + rec + "^1", "do not split"},
		{"too narrow", "0|H0STCNT0|001|005930^112616^62700", "at least 46"},
		{"bad price", "0|H0STCNT0|001|" + strings.Replace(rec, "^62700^2^", "^62x00^2^", 1), "field 2 STCK_PRPR"},
		{"bad rate", "0|H0STCNT0|001|" + strings.Replace(rec, "^0.64^", "^0.6.4^", 1), "PRDY_CTRT"},
		{"bad date", "0|H0STCNT0|001|" + strings.Replace(rec, "^20230324^", "^20231324^", 1), "BSOP_DATE"},
		{"bad time", "0|H0STCNT0|001|" + strings.Replace(rec, "^112616^", "^116616^", 1), "STCK_CNTG_HOUR"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := SplitFrame([]byte(c.msg))
			if err == nil {
				_, err = NewParser(nil).Trades(f, nil)
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
}

// The live 62-field order book (KIS.md §13.3).
func TestOrderBookRealFrame(t *testing.T) {
	f, err := SplitFrame(readFrame(t, "h0stasp0_live.txt"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := NewParser(fixedNow).OrderBooks(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := OrderBook{
		Symbol: "005930", Time: time.Date(2025, 7, 25, 14, 58, 56, 0, market.Seoul), HourClass: '0',
		Asks:         [10]int64{358500, 359000, 359500, 360000, 360500, 361000, 361500, 362000, 362500, 363000},
		Bids:         [10]int64{358000, 357500, 357000, 356500, 356000, 355500, 355000, 354500, 354000, 353500},
		AskSizes:     [10]int64{53949, 91247, 124706, 311138, 36136, 50040, 21635, 48345, 14697, 44313},
		BidSizes:     [10]int64{40154, 39078, 38644, 26290, 25867, 9410, 17975, 5281, 14389, 10406},
		TotalAskSize: 796206, TotalBidSize: 227494, ExpectedVolume: 529267, ExpectedChange: -346500,
		ExpectedSign: '5', ExpectedRate: -100, CumVolume: 25970877, AskSizeChange: -979, BidSizeChange: 95,
		Mid: 358250, Fields: 62,
	}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

// An order book frame takes its date from the last trade frame.
func TestOrderBookDateFromTrade(t *testing.T) {
	p := NewParser(fixedNow)
	tf, _ := SplitFrame(readFrame(t, "h0stcnt0_2023-03-24.txt"))
	if _, err := p.Trades(tf, nil); err != nil {
		t.Fatal(err)
	}
	bf, _ := SplitFrame(readFrame(t, "h0stasp0_live.txt"))
	b, err := p.OrderBooks(bf, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2023, 3, 24, 14, 58, 56, 0, market.Seoul); !b[0].Time.Equal(want) {
		t.Errorf("time %v, want %v", b[0].Time, want)
	}
}

func TestControlRealMessages(t *testing.T) {
	cases := []struct {
		file string
		want Control
		is   error
	}{
		{"ack_h0stasp0.json", Control{Kind: Subscribed, TR: "H0STASP0", Key: "005930", RtCd: "0", MsgCd: "OPSP0000",
			Msg: "SUBSCRIBE SUCCESS", IV: "4060f9fcb7b4e2ef", AESKey: "tesnaipyhhcpfrnupdybjhvuabognuch"}, nil},
		{"pingpong.json", Control{Kind: PingPong, TR: "PINGPONG", Datetime: "20260710171541"}, nil},
		{"opsp8996.json", Control{Kind: ControlError, RtCd: "9", MsgCd: "OPSP8996", Msg: "ALREADY IN USE appkey"}, ErrAlreadyInUse},
		{"opsp0011.json", Control{Kind: ControlError, RtCd: "1", MsgCd: "OPSP0011",
			Msg: "invalid approval : 062f61cb-c756-4b8f-9fab-92113c6fbea4"}, ErrInvalidApproval},
		{"opsp0003.json", Control{Kind: ControlError, RtCd: "1", MsgCd: "OPSP0003", Msg: "UNSUBSCRIBE ERROR(not found!)"}, ErrNotSubscribed},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			msg := readFrame(t, c.file)
			f, err := SplitFrame(msg)
			if err != nil || f.Kind != ControlFrame {
				t.Fatalf("split: %+v %v", f, err)
			}
			got, err := ParseControl(f.Payload)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("got  %+v\nwant %+v", got, c.want)
			}
			if err := got.Err(); (c.is == nil) != (err == nil) || (c.is != nil && !errors.Is(err, c.is)) {
				t.Errorf("Err() = %v, want errors.Is %v", err, c.is)
			}
		})
	}
}

func TestNoticeDecryptAndParse(t *testing.T) {
	// Key and IV from the real ack of KIS.md §13.3; the record follows the
	// 26-field layout of §7.2 (no real notice frame is public).
	key := NoticeKey{Key: "tesnaipyhhcpfrnupdybjhvuabognuch", IV: "4060f9fcb7b4e2ef"}
	fill := "myhtsid^1234567801^0000006555^^02^0^00^0^005930^10^65800^093015^0^2^2^06590^10^홍길동^^1^Y^^^^삼성전자^65800"
	accept := "myhtsid^1234567801^0000006556^^01^0^01^0^005930^5^0^093016^0^1^1^06590^^홍길동^^1^Y^^^^삼성전자^"
	ct, err := key.Encrypt([]byte(fill + "^" + accept))
	if err != nil {
		t.Fatal(err)
	}
	f, err := SplitFrame(append([]byte("1|H0STCNI9|002|"), ct...))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Notices(f, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d notices", len(got))
	}
	n := got[0]
	if !n.Filled || n.Side != market.Buy || n.FillQty != 10 || n.FillPrice != 65800 || n.OrderQty != 10 ||
		n.OrderNo != "0000006555" || n.Branch != "06590" || n.Symbol != "005930" || n.Time != "093015" || n.StockName != "삼성전자" {
		t.Errorf("fill notice = %+v", n)
	}
	a := got[1]
	if a.Filled || a.Side != market.Sell || a.FillQty != 0 || a.OrderQty != 5 || a.OrderKind != "01" || a.Accept != '1' {
		t.Errorf("acceptance notice = %+v", a)
	}
	if s := n.String(); strings.Contains(s, "1234567801") {
		t.Errorf("String leaks the account: %s", s)
	}
	if _, err := Notices(f, NoticeKey{Key: "tesnaipyhhcpfrnupdybjhvuabognucX", IV: "4060f9fcb7b4e2ef"}); err == nil {
		t.Error("a wrong key decrypted")
	}
}
