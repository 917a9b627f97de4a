package kis

import (
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// TradeFields is the documented width of an H0STCNT0 record (§6). Live frames
// may carry more; the extra fields are ignored.
const TradeFields = 46

// Trade is one H0STCNT0 record: a trade print on KRX with the day's running
// statistics and the best quotes at that moment. Prices are won, sizes shares.
type Trade struct {
	Symbol       market.Symbol // MKSC_SHRN_ISCD
	Time         time.Time     // BSOP_DATE + STCK_CNTG_HOUR, Asia/Seoul
	Price        int64         // STCK_PRPR
	Sign         byte          // PRDY_VRSS_SIGN: '1' upper limit, '2' up, '3' flat, '4' lower limit, '5' down
	Change       int64         // PRDY_VRSS, signed, vs previous close
	ChangeRate   float64       // PRDY_CTRT, percent
	VWAP         float64       // WGHN_AVRG_STCK_PRC
	Open         int64         // STCK_OPRC
	High         int64         // STCK_HGPR
	Low          int64         // STCK_LWPR
	Ask          int64         // ASKP1, best ask
	Bid          int64         // BIDP1, best bid
	Volume       int64         // CNTG_VOL, this print
	CumVolume    int64         // ACML_VOL, today so far
	CumValue     int64         // ACML_TR_PBMN, won
	SellCount    int64         // SELN_CNTG_CSNU, sell-initiated prints
	BuyCount     int64         // SHNU_CNTG_CSNU, buy-initiated prints
	NetCount     int64         // NTBY_CNTG_CSNU
	Strength     float64       // CTTR, 체결강도 %
	SellVolume   int64         // SELN_CNTG_SMTN
	BuyVolume    int64         // SHNU_CNTG_SMTN
	Aggressor    byte          // CCLD_DVSN: '1' buy, '3' pre-market, '5' sell
	MarketOp     [2]byte       // NEW_MKOP_CLS_CODE, "20" = regular session
	Halted       bool          // TRHT_YN == "Y"
	AskSize      int64         // ASKP_RSQN1
	BidSize      int64         // BIDP_RSQN1
	TotalAskSize int64         // TOTAL_ASKP_RSQN
	TotalBidSize int64         // TOTAL_BIDP_RSQN
	HourClass    byte          // HOUR_CLS_CODE: '0' continuous, 'A'..'D' expected prices
	VIPrice      int64         // VI_STND_PRC, static VI reference
	Fields       int           // fields in the record as received (46, 47, …)
	// Seq tells apart trades of the same symbol and second, which KIS does
	// not: H0STCNT0 carries no trade number (§6). A Feed sets it to the
	// arrival time in Unix nanoseconds, made strictly increasing, so it
	// follows arrival order and no two trades of a session, nor of two
	// sessions one after the other, share it. 0 when parsed outside a Feed.
	Seq int64
}

// Tick converts the trade to the host's vocabulary.
func (t *Trade) Tick() market.Tick {
	return market.Tick{Time: t.Time, Symbol: t.Symbol, Price: t.Price, Volume: t.Volume, Bid: t.Bid, Ask: t.Ask, Seq: t.Seq}
}

var tradeNames = [TradeFields]string{
	"MKSC_SHRN_ISCD", "STCK_CNTG_HOUR", "STCK_PRPR", "PRDY_VRSS_SIGN", "PRDY_VRSS", "PRDY_CTRT",
	"WGHN_AVRG_STCK_PRC", "STCK_OPRC", "STCK_HGPR", "STCK_LWPR", "ASKP1", "BIDP1", "CNTG_VOL",
	"ACML_VOL", "ACML_TR_PBMN", "SELN_CNTG_CSNU", "SHNU_CNTG_CSNU", "NTBY_CNTG_CSNU", "CTTR",
	"SELN_CNTG_SMTN", "SHNU_CNTG_SMTN", "CCLD_DVSN", "SHNU_RATE", "PRDY_VOL_VRSS_ACML_VOL_RATE",
	"OPRC_HOUR", "OPRC_VRSS_PRPR_SIGN", "OPRC_VRSS_PRPR", "HGPR_HOUR", "HGPR_VRSS_PRPR_SIGN",
	"HGPR_VRSS_PRPR", "LWPR_HOUR", "LWPR_VRSS_PRPR_SIGN", "LWPR_VRSS_PRPR", "BSOP_DATE",
	"NEW_MKOP_CLS_CODE", "TRHT_YN", "ASKP_RSQN1", "BIDP_RSQN1", "TOTAL_ASKP_RSQN", "TOTAL_BIDP_RSQN",
	"VOL_TNRT", "PRDY_SMNS_HOUR_ACML_VOL", "PRDY_SMNS_HOUR_ACML_VOL_RATE", "HOUR_CLS_CODE",
	"MRKT_TRTM_CLS_CODE", "VI_STND_PRC",
}

// tradeInts maps a field position to the Trade field it fills, for the
// integer fields.
func tradeInt(t *Trade, i int) *int64 {
	switch i {
	case 2:
		return &t.Price
	case 4:
		return &t.Change
	case 7:
		return &t.Open
	case 8:
		return &t.High
	case 9:
		return &t.Low
	case 10:
		return &t.Ask
	case 11:
		return &t.Bid
	case 12:
		return &t.Volume
	case 13:
		return &t.CumVolume
	case 14:
		return &t.CumValue
	case 15:
		return &t.SellCount
	case 16:
		return &t.BuyCount
	case 17:
		return &t.NetCount
	case 19:
		return &t.SellVolume
	case 20:
		return &t.BuyVolume
	case 36:
		return &t.AskSize
	case 37:
		return &t.BidSize
	case 38:
		return &t.TotalAskSize
	case 39:
		return &t.TotalBidSize
	case 45:
		return &t.VIPrice
	}
	return nil
}

func tradeDecimal(t *Trade, i int) *float64 {
	switch i {
	case 5:
		return &t.ChangeRate
	case 6:
		return &t.VWAP
	case 18:
		return &t.Strength
	}
	return nil
}

func tradeByte(t *Trade, i int) *byte {
	switch i {
	case 3:
		return &t.Sign
	case 21:
		return &t.Aggressor
	case 43:
		return &t.HourClass
	}
	return nil
}

// Trades parses an H0STCNT0 frame and appends its records to dst. It does not
// allocate when dst has room for f.Count records and the symbols were seen
// before. On error dst is returned unchanged in length.
func (p *Parser) Trades(f Frame, dst []Trade) ([]Trade, error) {
	if f.Kind != DataFrame || f.Encrypted {
		return dst, &FieldError{TR: f.TR, Index: -1, Msg: "not a plain data frame"}
	}
	recs, err := newRecords(f.TR, f.Payload, f.Count, TradeFields)
	if err != nil {
		return dst, err
	}
	n := len(dst)
	for r := 0; r < f.Count; r++ {
		dst = append(dst, Trade{})
		if err := p.trade(&recs, r, &dst[len(dst)-1]); err != nil {
			return dst[:n], err
		}
	}
	return dst, nil
}

func (p *Parser) trade(recs *records, r int, t *Trade) error {
	t.Fields = recs.width
	var clock, date []byte
	for i := 0; i < recs.width; i++ {
		b := recs.next()
		if i >= TradeFields {
			continue
		}
		if err := p.tradeField(t, i, b); err != nil {
			err.Record = r
			return err
		}
		switch i {
		case 1:
			clock = b
		case 33:
			date = b
		}
	}
	return p.tradeTime(t, r, clock, date)
}

func (p *Parser) tradeField(t *Trade, i int, b []byte) *FieldError {
	ok := true
	switch {
	case i == 0:
		if len(b) == 0 {
			ok = false
		}
		t.Symbol = p.symbol(b)
	case i == 34:
		if len(b) != 2 && len(b) != 0 {
			ok = false
		}
		copy(t.MarketOp[:], b)
	case i == 35:
		t.Halted = len(b) == 1 && b[0] == 'Y'
	case tradeInt(t, i) != nil:
		*tradeInt(t, i), ok = parseInt(b)
	case tradeDecimal(t, i) != nil:
		*tradeDecimal(t, i), ok = parseDecimal(b)
	case tradeByte(t, i) != nil:
		*tradeByte(t, i), ok = parseByte(b)
	}
	if ok {
		return nil
	}
	return &FieldError{TR: TRTrade, Index: i, Name: tradeNames[i], Value: string(b), Msg: "malformed"}
}

func (p *Parser) tradeTime(t *Trade, r int, clock, date []byte) error {
	y, mo, d, ok := parseDate(date)
	if !ok {
		return &FieldError{TR: TRTrade, Record: r, Index: 33, Name: "BSOP_DATE", Value: string(date), Msg: "want YYYYMMDD"}
	}
	h, mi, s, ok := parseClock(clock)
	if !ok {
		return &FieldError{TR: TRTrade, Record: r, Index: 1, Name: "STCK_CNTG_HOUR", Value: string(clock), Msg: "want HHMMSS"}
	}
	p.day = [3]int{y, mo, d}
	t.Time = kst(y, mo, d, h, mi, s)
	return nil
}
