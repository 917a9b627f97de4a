package kis

import (
	"fmt"
	"strings"

	"github.com/qbtrading/qb/lib/market"
)

// NoticeFields is the width of the current H0STCNI0/H0STCNI9 layout (§7.2).
// Older 23-field records are rejected with a clear error rather than misread.
const NoticeFields = 26

// Notice is one execution notice: either an acceptance (order, modify,
// cancel or rejection received) or a fill. The account fields are credentials;
// String masks them.
type Notice struct {
	CustID      string      // CUST_ID, the HTS ID
	Account     string      // ACNT_NO, 10 digits
	OrderNo     string      // ODER_NO
	OrigOrderNo string      // OODER_NO, for modify/cancel
	Side        market.Side // SELN_BYOV_CLS: 01 sell, 02 buy
	Correction  byte        // RCTF_CLS: '0' new, '1' modify, '2' cancel
	OrderKind   string      // ODER_KIND, ORD_DVSN code ("00" limit, "01" market, …)
	Symbol      market.Symbol
	Filled      bool   // CNTG_YN == "2": a fill; false: an acceptance notice
	FillQty     int64  // CNTG_QTY when Filled
	FillPrice   int64  // CNTG_UNPR when Filled
	Time        string // STCK_CNTG_HOUR, HHMMSS KST
	Rejected    bool   // RFUS_YN == "1"
	Accept      byte   // ACPT_YN: '1' received, '2' confirmed, '3' cancelled (IOC/FOK)
	Branch      string // BRNC_NO (= KRX_FWDG_ORD_ORGNO)
	OrderQty    int64  // ODER_QTY (field 9 on acceptances when ODER_QTY is empty)
	OrderPrice  int64  // ODER_PRC (field 10 on acceptances when ODER_PRC is empty)
	StockName   string // CNTG_ISNM40
	Fields      int
}

// String describes the notice with the account and HTS ID masked.
func (n Notice) String() string {
	kind := "accepted"
	if n.Filled {
		kind = fmt.Sprintf("filled %d@%d", n.FillQty, n.FillPrice)
	}
	if n.Rejected {
		kind = "rejected"
	}
	return fmt.Sprintf("notice{order %s %s %s qty %d price %d %s account %s}",
		n.OrderNo, n.Side, n.Symbol, n.OrderQty, n.OrderPrice, kind, Mask(n.Account))
}

// Notices decrypts an H0STCNI0/H0STCNI9 frame with the subscription's key and
// parses its records.
func Notices(f Frame, key NoticeKey) ([]Notice, error) {
	if f.Kind != DataFrame {
		return nil, fmt.Errorf("kis notice: not a data frame")
	}
	plain := f.Payload
	if f.Encrypted {
		var err error
		if plain, err = key.Decrypt(f.Payload); err != nil {
			return nil, fmt.Errorf("kis notice %s: %w", f.TR, err)
		}
	}
	recs, err := newRecords(f.TR, plain, f.Count, NoticeFields)
	if err != nil {
		return nil, err
	}
	out := make([]Notice, 0, f.Count)
	for r := 0; r < f.Count; r++ {
		fs := make([]string, recs.width)
		for i := range fs {
			fs[i] = string(recs.next())
		}
		n, err := noticeFrom(fs)
		if err != nil {
			return nil, fmt.Errorf("kis notice %s: record %d: %w", f.TR, r, err)
		}
		out = append(out, n)
	}
	return out, nil
}

func noticeFrom(fs []string) (Notice, error) {
	n := Notice{CustID: fs[0], Account: fs[1], OrderNo: fs[2], OrigOrderNo: fs[3], OrderKind: fs[6],
		Symbol: market.Symbol(fs[8]), Time: fs[11], Branch: fs[15], StockName: fs[24], Fields: len(fs)}
	switch fs[4] {
	case "01":
		n.Side = market.Sell
	case "02":
		n.Side = market.Buy
	default:
		return Notice{}, fmt.Errorf("field 4 SELN_BYOV_CLS=%q: want 01 or 02", fs[4])
	}
	n.Correction, _ = parseByte([]byte(fs[5]))
	n.Rejected = fs[12] == "1"
	n.Filled = fs[13] == "2"
	n.Accept, _ = parseByte([]byte(fs[14]))
	var raw [4]int64
	for k, i := range [4]int{9, 10, 16, 25} {
		v, ok := parseInt([]byte(strings.TrimSpace(fs[i])))
		if !ok {
			return Notice{}, fmt.Errorf("field %d=%q: not a number", i, fs[i])
		}
		raw[k] = v
	}
	n.FillQty, n.FillPrice, n.OrderQty, n.OrderPrice = raw[0], raw[1], raw[2], raw[3]
	if !n.Filled {
		// On acceptances fields 9/10 carry the order quantity and price (§7.2 note).
		if n.OrderQty == 0 {
			n.OrderQty = n.FillQty
		}
		if n.OrderPrice == 0 {
			n.OrderPrice = n.FillPrice
		}
		n.FillQty, n.FillPrice = 0, 0
	}
	return n, nil
}
