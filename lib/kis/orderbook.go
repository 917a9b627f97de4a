package kis

import (
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// OrderBookFields is the documented width of an H0STASP0 record (§7.1). Live
// KRX frames carry 62 (a mid-price triplet); extra fields are tolerated.
const OrderBookFields = 59

// Levels is the depth of the KRX order book feed.
const Levels = 10

// OrderBook is one H0STASP0 record: ten levels a side and the call-auction
// expectation. Index 0 is the best level.
type OrderBook struct {
	Symbol          market.Symbol
	Time            time.Time // trading day + BSOP_HOUR, Asia/Seoul (the frame has no date; see Parser)
	HourClass       byte      // HOUR_CLS_CODE
	Asks            [Levels]int64
	Bids            [Levels]int64
	AskSizes        [Levels]int64
	BidSizes        [Levels]int64
	TotalAskSize    int64   // TOTAL_ASKP_RSQN
	TotalBidSize    int64   // TOTAL_BIDP_RSQN
	OvertimeAskSize int64   // OVTM_TOTAL_ASKP_RSQN
	OvertimeBidSize int64   // OVTM_TOTAL_BIDP_RSQN
	ExpectedPrice   int64   // ANTC_CNPR, 0 outside call auctions
	ExpectedQty     int64   // ANTC_CNQN
	ExpectedVolume  int64   // ANTC_VOL
	ExpectedChange  int64   // ANTC_CNTG_VRSS, signed
	ExpectedSign    byte    // ANTC_CNTG_VRSS_SIGN
	ExpectedRate    float64 // ANTC_CNTG_PRDY_CTRT, percent
	CumVolume       int64   // ACML_VOL
	AskSizeChange   int64   // TOTAL_ASKP_RSQN_ICDC
	BidSizeChange   int64   // TOTAL_BIDP_RSQN_ICDC
	Mid             int64   // KMID_PRC (field 59), 0 when the frame has 59 fields
	Fields          int     // fields in the record as received
}

// bookInt returns the integer field at position i, or nil.
func bookInt(b *OrderBook, i int) *int64 {
	switch {
	case i >= 3 && i < 13:
		return &b.Asks[i-3]
	case i >= 13 && i < 23:
		return &b.Bids[i-13]
	case i >= 23 && i < 33:
		return &b.AskSizes[i-23]
	case i >= 33 && i < 43:
		return &b.BidSizes[i-33]
	}
	switch i {
	case 43:
		return &b.TotalAskSize
	case 44:
		return &b.TotalBidSize
	case 45:
		return &b.OvertimeAskSize
	case 46:
		return &b.OvertimeBidSize
	case 47:
		return &b.ExpectedPrice
	case 48:
		return &b.ExpectedQty
	case 49:
		return &b.ExpectedVolume
	case 50:
		return &b.ExpectedChange
	case 53:
		return &b.CumVolume
	case 54:
		return &b.AskSizeChange
	case 55:
		return &b.BidSizeChange
	case 59:
		return &b.Mid
	}
	return nil
}

// OrderBooks parses an H0STASP0 frame and appends its records to dst.
func (p *Parser) OrderBooks(f Frame, dst []OrderBook) ([]OrderBook, error) {
	if f.Kind != DataFrame || f.Encrypted {
		return dst, &FieldError{TR: f.TR, Index: -1, Msg: "not a plain data frame"}
	}
	recs, err := newRecords(f.TR, f.Payload, f.Count, OrderBookFields)
	if err != nil {
		return dst, err
	}
	n := len(dst)
	for r := 0; r < f.Count; r++ {
		dst = append(dst, OrderBook{})
		if err := p.book(&recs, r, &dst[len(dst)-1]); err != nil {
			return dst[:n], err
		}
	}
	return dst, nil
}

func (p *Parser) book(recs *records, r int, b *OrderBook) error {
	b.Fields = recs.width
	for i := 0; i < recs.width; i++ {
		f := recs.next()
		if err := p.bookField(b, i, f); err != nil {
			err.Record = r
			return err
		}
	}
	return nil
}

func (p *Parser) bookField(b *OrderBook, i int, f []byte) *FieldError {
	ok, name := true, ""
	switch {
	case i == 0:
		ok, name = len(f) > 0, "MKSC_SHRN_ISCD"
		b.Symbol = p.symbol(f)
	case i == 1:
		var h, m, s int
		h, m, s, ok = parseClock(f)
		name = "BSOP_HOUR"
		y, mo, d := p.today()
		b.Time = kst(y, mo, d, h, m, s)
	case i == 2:
		b.HourClass, ok = parseByte(f)
		name = "HOUR_CLS_CODE"
	case i == 51:
		b.ExpectedSign, ok = parseByte(f)
		name = "ANTC_CNTG_VRSS_SIGN"
	case i == 52:
		b.ExpectedRate, ok = parseDecimal(f)
		name = "ANTC_CNTG_PRDY_CTRT"
	case bookInt(b, i) != nil:
		*bookInt(b, i), ok = parseInt(f)
		name = "book field"
	}
	if ok {
		return nil
	}
	return &FieldError{TR: TROrderBook, Index: i, Name: name, Value: string(f), Msg: "malformed"}
}
