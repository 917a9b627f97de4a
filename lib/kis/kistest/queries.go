package kistest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// page cuts rows into the page the request's cursor names. The cursor is the
// next row's offset, space-padded to 100 characters like KIS's (§2.6).
func (s *Server) page(r *http.Request, n int) (from, to int, trCont string, next string) {
	if r.Header.Get("tr_cont") == "N" {
		from, _ = strconv.Atoi(strings.TrimSpace(strings.SplitN(param(r, "CTX_AREA_NK100"), "^", 2)[0]))
	}
	from = min(max(from, 0), n)
	to = min(from+s.opt.PageSize, n)
	trCont = "D"
	if to < n {
		trCont = "M"
	}
	return from, to, trCont, fmt.Sprintf("%-100s", strconv.Itoa(to)+"^")
}

// handleBalance answers inquire-balance (§5.4), paged.
func (s *Server) handleBalance(w http.ResponseWriter, r *http.Request, tr string) {
	if param(r, "CANO")+param(r, "ACNT_PRDT_CD") != s.opt.Account {
		writeError(w, http.StatusOK, "OPSQ2000", "ERROR : INPUT INVALID_CHECK_ACNO")
		return
	}
	s.mu.Lock()
	syms := make([]market.Symbol, 0, len(s.acct.pos))
	for sym, p := range s.acct.pos {
		if p.qty > 0 {
			syms = append(syms, sym)
		}
	}
	slices.Sort(syms)
	rows := make([]map[string]string, 0, len(syms))
	var value, cost int64
	for _, sym := range syms {
		row, v := s.holdingRow(sym)
		rows = append(rows, row)
		value += v
		cost += s.acct.pos[sym].cost
	}
	cash := s.acct.cash
	s.mu.Unlock()
	from, to, trCont, next := s.page(r, len(rows))
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	sum := map[string]string{"dnca_tot_amt": i(cash), "nxdy_excc_amt": i(cash), "prvs_rcdl_excc_amt": i(cash),
		"scts_evlu_amt": i(value), "tot_evlu_amt": i(value + cash), "nass_amt": i(value + cash),
		"pchs_amt_smtl_amt": i(cost), "evlu_amt_smtl_amt": i(value), "evlu_pfls_smtl_amt": i(value - cost)}
	s.writeOK(w, tr, trCont, map[string]any{"ctx_area_fk100": fmt.Sprintf("%-100s", s.opt.Account[:8]+"^01^"),
		"ctx_area_nk100": next, "output1": rows[from:to], "output2": []map[string]string{sum}})
}

// holdingRow is one output1 row and its value at the last price. Caller holds s.mu.
func (s *Server) holdingRow(sym market.Symbol) (map[string]string, int64) {
	p := s.acct.pos[sym]
	last := p.cost / p.qty
	if st, ok := s.market[sym]; ok && st.last > 0 {
		last = st.last
	}
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	value := last * p.qty
	return map[string]string{"pdno": string(sym), "prdt_name": string(sym), "trad_dvsn_name": "현금",
		"hldg_qty": i(p.qty), "ord_psbl_qty": i(s.acct.sellable(sym)),
		"pchs_avg_pric": strconv.FormatFloat(float64(p.cost)/float64(p.qty), 'f', 4, 64), "pchs_amt": i(p.cost),
		"prpr": i(last), "evlu_amt": i(value), "evlu_pfls_amt": i(value - p.cost)}, value
}

// handleDailyCcld answers inquire-daily-ccld (§5.5): today's orders, newest first, paged.
func (s *Server) handleDailyCcld(w http.ResponseWriter, r *http.Request, tr string) {
	if param(r, "CANO")+param(r, "ACNT_PRDT_CD") != s.opt.Account {
		writeError(w, http.StatusOK, "OPSQ2000", "ERROR : INPUT INVALID_CHECK_ACNO")
		return
	}
	s.mu.Lock()
	var rows []map[string]string
	var qty, filled, value int64
	for k := len(s.acct.orders) - 1; k >= 0; k-- {
		o := s.acct.orders[k]
		if !dailyMatch(r, o) {
			continue
		}
		rows = append(rows, ccldRow(o))
		qty, filled, value = qty+o.Qty, filled+o.Filled, value+o.FillValue
	}
	s.mu.Unlock()
	from, to, trCont, next := s.page(r, len(rows))
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	s.writeOK(w, tr, trCont, map[string]any{"ctx_area_fk100": fmt.Sprintf("%-100s", s.opt.Account[:8]+"^"),
		"ctx_area_nk100": next, "output1": rows[from:to],
		"output2": map[string]string{"tot_ord_qty": i(qty), "tot_ccld_qty": i(filled), "tot_ccld_amt": i(value),
			"prsm_tlex_smtl": "0", "pchs_avg_pric": "0.00"}})
}

func dailyMatch(r *http.Request, o *order) bool {
	day := o.At.In(market.Seoul).Format("20060102")
	side := map[market.Side]string{market.Sell: "01", market.Buy: "02"}[o.Side]
	switch {
	case day < param(r, "INQR_STRT_DT") || (param(r, "INQR_END_DT") != "" && day > param(r, "INQR_END_DT")):
		return false
	case param(r, "PDNO") != "" && param(r, "PDNO") != string(o.Symbol):
		return false
	case param(r, "SLL_BUY_DVSN_CD") != "" && param(r, "SLL_BUY_DVSN_CD") != "00" && param(r, "SLL_BUY_DVSN_CD") != side:
		return false
	case param(r, "ODNO") != "" && strings.TrimLeft(param(r, "ODNO"), "0") != strings.TrimLeft(o.No, "0"):
		return false
	}
	return true
}

func ccldRow(o *order) map[string]string {
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	side, name := "02", "매수"
	if o.Side == market.Sell {
		side, name = "01", "매도"
	}
	avg, cncl := "0", "N"
	if o.Filled > 0 {
		avg = i(o.FillValue / o.Filled)
	}
	if o.IsRevision {
		cncl = "Y"
	}
	return map[string]string{"ord_dt": o.At.In(market.Seoul).Format("20060102"), "ord_gno_brno": o.Branch,
		"odno": o.No, "orgn_odno": o.OrigNo, "sll_buy_dvsn_cd": side, "sll_buy_dvsn_cd_name": name,
		"pdno": string(o.Symbol), "prdt_name": string(o.Symbol), "ord_qty": i(o.Qty), "ord_unpr": i(o.Price),
		"ord_tmd": hhmmss(o.At), "tot_ccld_qty": i(o.Filled), "avg_prvs": avg, "cncl_yn": cncl,
		"tot_ccld_amt": i(o.FillValue), "ord_dvsn_cd": o.Kind, "cnc_cfrm_qty": i(o.Gone), "rmn_qty": i(o.remaining()),
		"rjct_qty": "0", "excg_id_dvsn_Cd": "KRX"}
}

// handlePrice answers inquire-price (§8.1) from the published trades.
func (s *Server) handlePrice(w http.ResponseWriter, r *http.Request, tr string) {
	sym := market.Symbol(param(r, "FID_INPUT_ISCD"))
	s.mu.Lock()
	st, ok := s.market[sym]
	var out map[string]string
	if ok && st.last > 0 {
		i := func(v int64) string { return strconv.FormatInt(v, 10) }
		out = map[string]string{"stck_prpr": i(st.last), "prdy_vrss": i(st.last - st.base), "prdy_vrss_sign": sign(st.last - st.base),
			"prdy_ctrt": pct(st.last-st.base, st.base), "stck_oprc": i(st.open), "stck_hgpr": i(st.high), "stck_lwpr": i(st.low),
			"acml_vol": i(st.cumVol), "acml_tr_pbmn": i(st.cumValue), "stck_sdpr": i(st.base),
			"stck_mxpr": i(st.base * 13 / 10), "stck_llam": i(st.base * 7 / 10), "aspr_unit": i(krx.TickSize(st.last)),
			"hts_deal_qty_unit_val": "1", "iscd_stat_cls_code": "55", "stck_shrn_iscd": string(sym)}
	}
	s.mu.Unlock()
	if out == nil {
		writeError(w, http.StatusOK, "MCA05918", "종목코드 오류입니다.")
		return
	}
	s.writeOK(w, tr, "", map[string]any{"output": out})
}

// handleDailyBars answers inquire-daily-itemchartprice (§8.2): up to 100
// rows in the date range, newest first.
func (s *Server) handleDailyBars(w http.ResponseWriter, r *http.Request, tr string) {
	sym := market.Symbol(param(r, "FID_INPUT_ISCD"))
	from, to := param(r, "FID_INPUT_DATE_1"), param(r, "FID_INPUT_DATE_2")
	s.mu.Lock()
	var bars []market.Bar
	if st, ok := s.market[sym]; ok {
		bars = slices.Clone(st.daily)
	}
	s.mu.Unlock()
	slices.SortFunc(bars, func(a, b market.Bar) int { return b.Start.Compare(a.Start) })
	rows := []map[string]string{}
	for _, b := range bars {
		d := b.Start.In(market.Seoul).Format("20060102")
		if d < from || d > to || len(rows) == 100 {
			continue
		}
		rows = append(rows, barRow(b, d, ""))
	}
	s.writeOK(w, tr, "", map[string]any{"output1": map[string]string{"stck_shrn_iscd": string(sym)}, "output2": rows})
}

// handleMinuteBars answers inquire-time-itemchartprice (§8.3): today's
// minute bars up to FID_INPUT_HOUR_1, newest first, at most 30.
func (s *Server) handleMinuteBars(w http.ResponseWriter, r *http.Request, tr string) {
	sym := market.Symbol(param(r, "FID_INPUT_ISCD"))
	upTo := param(r, "FID_INPUT_HOUR_1")
	s.mu.Lock()
	var bars []market.Bar
	if st, ok := s.market[sym]; ok {
		bars = slices.Clone(st.minutes)
	}
	s.mu.Unlock()
	rows := []map[string]string{}
	for k := len(bars) - 1; k >= 0 && len(rows) < 30; k-- {
		b := bars[k]
		if clock := b.Start.In(market.Seoul).Format("150405"); clock <= upTo {
			rows = append(rows, barRow(b, b.Start.In(market.Seoul).Format("20060102"), clock))
		}
	}
	s.writeOK(w, tr, "", map[string]any{"output1": map[string]string{"hts_kor_isnm": string(sym)}, "output2": rows})
}

func barRow(b market.Bar, day, clock string) map[string]string {
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	row := map[string]string{"stck_bsop_date": day, "stck_oprc": i(b.Open), "stck_hgpr": i(b.High),
		"stck_lwpr": i(b.Low), "acml_tr_pbmn": "0"}
	if clock == "" {
		row["stck_clpr"], row["acml_vol"], row["mod_yn"] = i(b.Close), i(b.Volume), "N"
	} else {
		row["stck_cntg_hour"], row["stck_prpr"], row["cntg_vol"] = clock, i(b.Close), i(b.Volume)
	}
	return row
}
