package kistest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/qbtrading/qb/lib/kis"
)

// route is one REST endpoint: the real-environment TR ids it accepts (the
// paper ids are derived) and its handler.
type route struct {
	trs []string
	fn  func(w http.ResponseWriter, r *http.Request, tr string)
}

func (s *Server) restHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth2/tokenP", s.delayed(s.handleToken))
	mux.HandleFunc("POST /oauth2/Approval", s.delayed(s.handleApproval))
	routes := map[string]route{
		"POST /uapi/domestic-stock/v1/trading/order-cash":                     {[]string{kis.TRBuy, kis.TRSell}, s.handleOrderCash},
		"POST /uapi/domestic-stock/v1/trading/order-rvsecncl":                 {[]string{kis.TRRevise}, s.handleRevise},
		"GET /uapi/domestic-stock/v1/trading/inquire-balance":                 {[]string{kis.TRBalance}, s.handleBalance},
		"GET /uapi/domestic-stock/v1/trading/inquire-daily-ccld":              {[]string{kis.TRDailyCcld}, s.handleDailyCcld},
		"GET /uapi/domestic-stock/v1/quotations/inquire-price":                {[]string{kis.TRPrice}, s.handlePrice},
		"GET /uapi/domestic-stock/v1/quotations/inquire-daily-itemchartprice": {[]string{kis.TRDailyBars}, s.handleDailyBars},
		"GET /uapi/domestic-stock/v1/quotations/inquire-time-itemchartprice":  {[]string{kis.TRMinuteBars}, s.handleMinuteBars},
	}
	for pattern, rt := range routes {
		mux.HandleFunc(pattern, s.delayed(s.guard(rt)))
	}
	return mux
}

// delayed applies the configured response delay.
func (s *Server) delayed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		d := s.faults.delay
		if strings.HasSuffix(r.URL.Path, "/order-cash") {
			d += s.faults.orderDelay
		}
		s.mu.Unlock()
		if d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		h(w, r)
	}
}

// guard checks what the KIS gateway checks before a TR runs: credentials,
// token, TR id for the environment, rate limit (§3).
func (s *Server) guard(rt route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tr := r.Header.Get("tr_id")
		if code, msg := s.checkAuth(r); code != "" {
			writeError(w, http.StatusInternalServerError, code, msg)
			return
		}
		if !s.trAllowed(rt.trs, tr) {
			writeError(w, http.StatusInternalServerError, "EGW00213", "모의투자 TR 이 아닙니다.")
			return
		}
		if s.rateLimited() {
			writeError(w, http.StatusInternalServerError, "EGW00201", "초당 거래건수를 초과하였습니다.")
			return
		}
		s.countRequest(tr)
		rt.fn(w, r, tr)
	}
}

func (s *Server) trAllowed(reals []string, tr string) bool {
	for _, real := range reals {
		if tr == s.envTR(real) {
			return true
		}
	}
	return false
}

// envTR is the TR id valid in the server's environment (§2.5).
func (s *Server) envTR(real string) string {
	if s.opt.Env == kis.Paper && strings.ContainsRune("TJC", rune(real[0])) {
		return "V" + real[1:]
	}
	return real
}

func (s *Server) rateLimited() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults.rateLimitNext > 0 {
		s.faults.rateLimitNext--
		s.faults.rateLimited++
		return true
	}
	if s.lim != nil && !s.lim.Allow() {
		s.faults.rateLimited++
		return true
	}
	return false
}

// param reads a query parameter by either spelling (§2.7: the portal writes
// upper case, the Postman collection lower case).
func param(r *http.Request, name string) string {
	q := r.URL.Query()
	if v, ok := q[name]; ok && len(v) > 0 {
		return v[0]
	}
	return q.Get(strings.ToLower(name))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("content-type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers in the gateway's error shape: rt_cd "1", msg_cd, msg1.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]string{"rt_cd": "1", "msg_cd": code, "msg1": msg})
}

// writeOK answers rt_cd "0" with the environment's success code and the
// given output fields.
func (s *Server) writeOK(w http.ResponseWriter, tr, trCont string, body map[string]any) {
	body["rt_cd"] = "0"
	if _, ok := body["msg_cd"]; !ok {
		body["msg_cd"], body["msg1"] = "MCA00000", "정상처리 되었습니다."
		if s.opt.Env == kis.Paper {
			body["msg_cd"], body["msg1"] = "20310000", "모의투자 조회가 완료되었습니다."
		}
	}
	w.Header().Set("tr_id", tr)
	w.Header().Set("tr_cont", trCont)
	writeJSON(w, http.StatusOK, body)
}
