package kis

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// maxPages stops a paging loop that a misbehaving server never ends.
const maxPages = 1000

type cursor struct {
	FK string `json:"ctx_area_fk100"`
	NK string `json:"ctx_area_nk100"`
}

// paged calls req until KIS says the last page was sent (tr_cont D/E or
// empty, §2.6), passing each page's body to each. Cursors are sent back
// unchanged (they are space-padded and opaque).
func paged[T any](ctx context.Context, c *Client, req request, cur func(*T) cursor, each func(*T) error) error {
	for page := 0; page < maxPages; page++ {
		var out T
		trCont, err := c.call(ctx, req, &out)
		if err != nil {
			return err
		}
		if err := each(&out); err != nil {
			return err
		}
		if trCont != "F" && trCont != "M" {
			return nil
		}
		k := cur(&out)
		req.trCont = "N"
		req.query.Set("CTX_AREA_FK100", k.FK)
		req.query.Set("CTX_AREA_NK100", k.NK)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return fmt.Errorf("kis %s: more than %d pages", req.tr, maxPages)
}

// Holding is one row of the balance (output1).
type Holding struct {
	Symbol    market.Symbol
	Name      string
	Qty       int64   // hldg_qty
	Orderable int64   // ord_psbl_qty
	AvgPrice  float64 // pchs_avg_pric
	Cost      int64   // pchs_amt
	Price     int64   // prpr
	Value     int64   // evlu_amt
	PnL       int64   // evlu_pfls_amt
}

// Balance is the account's holdings and cash (inquire-balance, §5.4).
type Balance struct {
	Holdings   []Holding
	Cash       int64 // dnca_tot_amt, 예수금
	CashD2     int64 // prvs_rcdl_excc_amt, cash after D+2 settlement
	Securities int64 // scts_evlu_amt
	Total      int64 // tot_evlu_amt
	Cost       int64 // pchs_amt_smtl_amt
	PnL        int64 // evlu_pfls_smtl_amt
}

type balancePage struct {
	cursor
	Output1 []map[string]string `json:"output1"`
	Output2 []map[string]string `json:"output2"`
}

// Balance reads every page of the account balance.
func (c *Client) Balance(ctx context.Context) (Balance, error) {
	q := url.Values{}
	for k, v := range map[string]string{"CANO": c.cano, "ACNT_PRDT_CD": c.prdt, "AFHR_FLPR_YN": "N", "OFL_YN": "",
		"INQR_DVSN": "02", "UNPR_DVSN": "01", "FUND_STTL_ICLD_YN": "N", "FNCG_AMT_AUTO_RDPT_YN": "N",
		"PRCS_DVSN": "00", "CTX_AREA_FK100": "", "CTX_AREA_NK100": ""} {
		q.Set(k, v)
	}
	req := request{method: http.MethodGet, path: "/uapi/domestic-stock/v1/trading/inquire-balance", tr: c.tr(TRBalance), query: q}
	var b Balance
	err := paged(ctx, c, req, func(p *balancePage) cursor { return p.cursor }, func(p *balancePage) error {
		for i, r := range p.Output1 {
			n := nums{what: fmt.Sprintf("inquire-balance output1[%d]", i)}
			h := Holding{Symbol: market.Symbol(r["pdno"]), Name: r["prdt_name"], Qty: n.int("hldg_qty", r["hldg_qty"]),
				Orderable: n.int("ord_psbl_qty", r["ord_psbl_qty"]), AvgPrice: n.float("pchs_avg_pric", r["pchs_avg_pric"]),
				Cost: n.int("pchs_amt", r["pchs_amt"]), Price: n.int("prpr", r["prpr"]),
				Value: n.int("evlu_amt", r["evlu_amt"]), PnL: n.int("evlu_pfls_amt", r["evlu_pfls_amt"])}
			if n.err != nil {
				return n.err
			}
			b.Holdings = append(b.Holdings, h)
		}
		if len(p.Output2) > 0 {
			r, n := p.Output2[0], nums{what: "inquire-balance output2"}
			b.Cash, b.CashD2 = n.int("dnca_tot_amt", r["dnca_tot_amt"]), n.int("prvs_rcdl_excc_amt", r["prvs_rcdl_excc_amt"])
			b.Securities, b.Total = n.int("scts_evlu_amt", r["scts_evlu_amt"]), n.int("tot_evlu_amt", r["tot_evlu_amt"])
			b.Cost, b.PnL = n.int("pchs_amt_smtl_amt", r["pchs_amt_smtl_amt"]), n.int("evlu_pfls_smtl_amt", r["evlu_pfls_smtl_amt"])
			return n.err
		}
		return nil
	})
	if err != nil {
		return Balance{}, fmt.Errorf("kis balance: %w", err)
	}
	return b, nil
}

// OrderRecord is one order of the daily order/fill history (output1 of
// inquire-daily-ccld, §5.5): a cumulative snapshot of the order.
type OrderRecord struct {
	Date        string // ord_dt, YYYYMMDD
	Time        string // ord_tmd, HHMMSS
	Branch      string // ord_gno_brno
	OrderNo     string // odno
	OrigOrderNo string // orgn_odno
	Side        market.Side
	Symbol      market.Symbol
	Name        string
	Kind        string // ord_dvsn_cd
	Qty         int64  // ord_qty
	Price       int64  // ord_unpr
	FilledQty   int64  // tot_ccld_qty
	FilledValue int64  // tot_ccld_amt
	AvgPrice    float64
	Remaining   int64 // rmn_qty
	RejectedQty int64 // rjct_qty
	Cancelled   bool  // cncl_yn == "Y"
}

// DailyQuery selects orders for DailyOrders. Zero values mean all.
type DailyQuery struct {
	From, To time.Time // days, KST; zero means today
	Symbol   market.Symbol
	Side     market.Side
	OrderNo  string
}

type dailyPage struct {
	cursor
	Output1 []map[string]string `json:"output1"`
}

// DailyOrders reads every page of the daily order/fill history, newest first
// as KIS sends it.
func (c *Client) DailyOrders(ctx context.Context, dq DailyQuery) ([]OrderRecord, error) {
	req := request{method: http.MethodGet, path: "/uapi/domestic-stock/v1/trading/inquire-daily-ccld",
		tr: c.tr(TRDailyCcld), query: c.dailyQuery(dq)}
	var recs []OrderRecord
	err := paged(ctx, c, req, func(p *dailyPage) cursor { return p.cursor }, func(p *dailyPage) error {
		for i, r := range p.Output1 {
			rec, err := orderRecord(r, i)
			if err != nil {
				return err
			}
			recs = append(recs, rec)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("kis daily orders: %w", err)
	}
	return recs, nil
}

func (c *Client) dailyQuery(dq DailyQuery) url.Values {
	today := c.cfg.Now().In(market.Seoul)
	day := func(t time.Time) string {
		if t.IsZero() {
			t = today
		}
		return t.In(market.Seoul).Format("20060102")
	}
	side := map[market.Side]string{market.Sell: "01", market.Buy: "02"}[dq.Side]
	if side == "" {
		side = "00"
	}
	q := url.Values{}
	for k, v := range map[string]string{"CANO": c.cano, "ACNT_PRDT_CD": c.prdt, "INQR_STRT_DT": day(dq.From),
		"INQR_END_DT": day(dq.To), "SLL_BUY_DVSN_CD": side, "PDNO": string(dq.Symbol), "ORD_GNO_BRNO": "",
		"ODNO": dq.OrderNo, "CCLD_DVSN": "00", "INQR_DVSN": "00", "INQR_DVSN_1": "", "INQR_DVSN_3": "00",
		"EXCG_ID_DVSN_CD": "KRX", "CTX_AREA_FK100": "", "CTX_AREA_NK100": ""} {
		q.Set(k, v)
	}
	return q
}

func orderRecord(r map[string]string, i int) (OrderRecord, error) {
	n := nums{what: fmt.Sprintf("inquire-daily-ccld output1[%d]", i)}
	rec := OrderRecord{Date: r["ord_dt"], Time: r["ord_tmd"], Branch: r["ord_gno_brno"], OrderNo: r["odno"],
		OrigOrderNo: r["orgn_odno"], Symbol: market.Symbol(r["pdno"]), Name: r["prdt_name"], Kind: r["ord_dvsn_cd"],
		Qty: n.int("ord_qty", r["ord_qty"]), Price: n.int("ord_unpr", r["ord_unpr"]),
		FilledQty: n.int("tot_ccld_qty", r["tot_ccld_qty"]), FilledValue: n.int("tot_ccld_amt", r["tot_ccld_amt"]),
		AvgPrice: n.float("avg_prvs", r["avg_prvs"]), Remaining: n.int("rmn_qty", r["rmn_qty"]),
		RejectedQty: n.int("rjct_qty", r["rjct_qty"]), Cancelled: r["cncl_yn"] == "Y"}
	switch r["sll_buy_dvsn_cd"] {
	case "01":
		rec.Side = market.Sell
	case "02":
		rec.Side = market.Buy
	default:
		if n.err == nil {
			n.err = fmt.Errorf("%s: field sll_buy_dvsn_cd=%q: want 01 or 02", n.what, r["sll_buy_dvsn_cd"])
		}
	}
	return rec, n.err
}
