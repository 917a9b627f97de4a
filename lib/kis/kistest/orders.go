package kistest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/market"
)

// handleOrderCash accepts a cash order (§5.1) or refuses it as KIS would.
func (s *Server) handleOrderCash(w http.ResponseWriter, r *http.Request, tr string) {
	s.mu.Lock()
	drop := s.faults.dropOrders > 0
	if drop {
		s.faults.dropOrders--
	}
	s.mu.Unlock()
	if drop {
		dropResponse(w)
		return
	}
	var in map[string]string
	if json.NewDecoder(r.Body).Decode(&in) != nil {
		writeError(w, http.StatusInternalServerError, "IGW00007", "MCA 전문바디 구성 중 오류가 발생하였습니다.")
		return
	}
	side := market.Buy
	if tr == s.envTR(kis.TRSell) {
		side = market.Sell
	}
	o, notes, code, msg := s.newOrder(in, side)
	s.deliver(notes)
	if code != "" {
		writeError(w, http.StatusOK, code, msg)
		return
	}
	s.mu.Lock()
	lose := s.faults.loseOrders > 0
	if lose {
		s.faults.loseOrders--
	}
	s.mu.Unlock()
	if lose {
		dropResponse(w)
		return
	}
	code, msg = "APBK0013", "주문 전송 완료 되었습니다."
	if s.opt.Env == kis.Paper {
		code, msg = "40600000", "모의투자 매수주문이 완료 되었습니다."
		if side == market.Sell {
			msg = "모의투자 매도주문이 완료 되었습니다."
		}
	}
	s.writeOK(w, tr, "", map[string]any{"msg_cd": code, "msg1": msg,
		"output": map[string]string{"KRX_FWDG_ORD_ORGNO": o.Branch, "ODNO": o.No, "ORD_TMD": hhmmss(o.At)}})
}

// dropResponse closes the connection without answering: the order stands,
// the client never hears so.
func dropResponse(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

const branch = "00950"

// newOrder validates and books an order, notifying acceptance.
func (s *Server) newOrder(in map[string]string, side market.Side) (*order, []delivery, string, string) {
	if code, msg := s.checkAccount(in); code != "" {
		return nil, nil, code, msg
	}
	sym := market.Symbol(in["PDNO"])
	qty, err1 := strconv.ParseInt(in["ORD_QTY"], 10, 64)
	price, err2 := strconv.ParseInt(in["ORD_UNPR"], 10, 64)
	kind := in["ORD_DVSN"]
	switch {
	case sym.Validate() != nil:
		return nil, nil, "MCA05918", "종목코드 오류입니다."
	case err1 != nil || err2 != nil || qty <= 0 || price < 0:
		return nil, nil, "IGW00007", "MCA 전문바디 구성 중 오류가 발생하였습니다."
	case kind != kis.OrdLimit && kind != kis.OrdMarket:
		return nil, nil, "40070000", "모의투자 주문처리가 안되었습니다(지원하지 않는 주문구분)"
	case kind == kis.OrdLimit && price == 0:
		return nil, nil, "40070000", "모의투자 주문처리가 안되었습니다(주문단가 오류)"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if kind == kis.OrdMarket {
		price = 0
	}
	if code, msg := s.affordable(sym, side, qty, price); code != "" {
		return nil, nil, code, msg
	}
	o := &order{Branch: branch, No: s.acct.newNo(s.opt.Env == kis.Real), Symbol: sym, Side: side, Kind: kind,
		Qty: qty, Price: price, At: s.opt.Now()}
	s.acct.orders = append(s.acct.orders, o)
	s.opt.Logf("kistest: order %s %s %s %d@%d", o.No, side, sym, qty, price)
	return o, s.noticeFor(o, false, 0, 0), "", ""
}

func (s *Server) checkAccount(in map[string]string) (string, string) {
	if in["CANO"]+in["ACNT_PRDT_CD"] != s.opt.Account {
		return "OPSQ2000", "ERROR : INPUT INVALID_CHECK_ACNO"
	}
	return "", ""
}

// affordable checks cash for buys and shares for sells. Caller holds s.mu.
func (s *Server) affordable(sym market.Symbol, side market.Side, qty, price int64) (string, string) {
	if side == market.Sell {
		if s.acct.sellable(sym) < qty {
			return "APBK0400", "주문 가능한 수량을 초과하였습니다."
		}
		return "", ""
	}
	if price == 0 {
		if st, ok := s.market[sym]; ok {
			price = st.last
		}
	}
	if qty*price > s.acct.cash {
		return "APBK0952", "주문가능금액을 초과 했습니다"
	}
	return "", ""
}

// fillOrders fills the resting orders t satisfies (the package's fill rule)
// and returns the notices. Caller holds s.mu.
func (s *Server) fillOrders(t market.Tick) []delivery {
	var out []delivery
	for _, o := range s.acct.orders {
		if o.Symbol != t.Symbol || o.remaining() == 0 {
			continue
		}
		if o.Price > 0 && (o.Side == market.Buy && t.Price > o.Price || o.Side == market.Sell && t.Price < o.Price) {
			continue
		}
		qty := o.remaining()
		s.acct.fill(o, qty, t.Price)
		out = append(out, s.noticeFor(o, true, qty, t.Price)...)
	}
	return out
}

// handleRevise modifies or cancels an order (§5.2).
func (s *Server) handleRevise(w http.ResponseWriter, r *http.Request, tr string) {
	var in map[string]string
	if json.NewDecoder(r.Body).Decode(&in) != nil {
		writeError(w, http.StatusInternalServerError, "IGW00007", "MCA 전문바디 구성 중 오류가 발생하였습니다.")
		return
	}
	if code, msg := s.checkAccount(in); code != "" {
		writeError(w, http.StatusOK, code, msg)
		return
	}
	s.mu.Lock()
	o, notes, code, msg := s.revise(in)
	s.mu.Unlock()
	s.deliver(notes)
	if code != "" {
		writeError(w, http.StatusOK, code, msg)
		return
	}
	s.writeOK(w, tr, "", map[string]any{"msg_cd": "40600000", "msg1": "모의투자 정정/취소주문이 완료 되었습니다.",
		"output": map[string]string{"krx_fwdg_ord_orgno": o.Branch, "odno": o.No, "ord_tmd": hhmmss(o.At)}})
}

// revise applies a modify (01) or cancel (02). Caller holds s.mu.
func (s *Server) revise(in map[string]string) (*order, []delivery, string, string) {
	orig := s.acct.find(in["ORGN_ODNO"])
	if orig == nil || orig.IsRevision || in["KRX_FWDG_ORD_ORGNO"] != orig.Branch {
		return nil, nil, "40330000", "정정/취소할 주문이 없습니다."
	}
	rem := orig.remaining()
	qty, _ := strconv.ParseInt(in["ORD_QTY"], 10, 64)
	if strings.ToUpper(in["QTY_ALL_ORD_YN"]) == "Y" || qty <= 0 || qty > rem {
		qty = rem
	}
	if rem == 0 {
		return nil, nil, "40330000", "정정/취소할 수량이 없습니다."
	}
	rec := &order{Branch: orig.Branch, No: s.acct.newNo(s.opt.Env == kis.Real), OrigNo: orig.No, Symbol: orig.Symbol,
		Side: orig.Side, Kind: orig.Kind, Qty: qty, At: s.opt.Now()}
	switch in["RVSE_CNCL_DVSN_CD"] {
	case "02":
		rec.IsRevision = true
		orig.Gone += qty
		if orig.remaining() == 0 {
			orig.Cancelled = true
		}
	case "01":
		price, err := strconv.ParseInt(in["ORD_UNPR"], 10, 64)
		if err != nil || price <= 0 {
			return nil, nil, "40070000", "모의투자 주문처리가 안되었습니다(주문단가 오류)"
		}
		rec.Price, rec.Kind = price, in["ORD_DVSN"]
		orig.Gone += qty
		if orig.remaining() == 0 {
			orig.Cancelled = true
		}
	default:
		return nil, nil, "IGW00007", "MCA 전문바디 구성 중 오류가 발생하였습니다."
	}
	s.acct.orders = append(s.acct.orders, rec)
	return rec, s.noticeFor(rec, false, 0, 0), "", ""
}

// noticeFor builds the encrypted execution notice for every session
// subscribed to the account's HTS ID (§7.2). Caller holds s.mu.
func (s *Server) noticeFor(o *order, filled bool, qty, price int64) []delivery {
	tr := kis.TRNoticePaper
	if s.opt.Env == kis.Real {
		tr = kis.TRNotice
	}
	rec := noticeRecord(s.opt.HTSID, s.opt.Account, o, filled, qty, price, hhmmss(s.opt.Now()))
	var out []delivery
	for ss := range s.sessions {
		k, ok := ss.subs[subKey{tr, s.opt.HTSID}]
		if !ok {
			continue
		}
		ct, err := k.Encrypt([]byte(rec))
		if err != nil {
			continue
		}
		out = append(out, delivery{ss, append([]byte("1|"+tr+"|001|"), ct...)})
	}
	return out
}

// noticeRecord writes the 26 notice fields. On acceptances fields 9/10 carry
// the order quantity and price, as the legacy official sample reads them.
func noticeRecord(hts, acct string, o *order, filled bool, qty, price int64, clock string) string {
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	side := "02"
	if o.Side == market.Sell {
		side = "01"
	}
	rctf := "0"
	if o.OrigNo != "" {
		rctf = "1"
		if o.IsRevision {
			rctf = "2"
		}
	}
	cntg, f9, f10 := "1", i(o.Qty), i(o.Price)
	if filled {
		cntg, f9, f10 = "2", i(qty), i(price)
	}
	f := []string{hts, acct, o.No, o.OrigNo, side, rctf, o.Kind, "0", string(o.Symbol), f9, f10, clock,
		"0", cntg, "1", o.Branch, i(o.Qty), "테스트", "0", "1", "Y", "", "", "", string(o.Symbol), i(o.Price)}
	return strings.Join(f, "^")
}
