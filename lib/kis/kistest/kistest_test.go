package kistest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/market"
)

func newServer(t *testing.T, opt Options) *Server {
	t.Helper()
	s, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func post(t *testing.T, url string, body any, hdr map[string]string) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("body %q: %v", raw, err)
	}
	return resp.StatusCode, out
}

func token(t *testing.T, s *Server) string {
	_, out := post(t, s.URL()+"/oauth2/tokenP", map[string]string{"grant_type": "client_credentials",
		"appkey": DefaultAppKey, "appsecret": DefaultAppSecret}, nil)
	tok, _ := out["access_token"].(string)
	if tok == "" {
		t.Fatalf("no token: %v", out)
	}
	return tok
}

// The token endpoint answers like KIS: the same token while valid, the
// 403 error_code shape when too soon or for a bad key.
func TestTokenEndpoint(t *testing.T) {
	s := newServer(t, Options{TokenMinInterval: time.Hour})
	a, b := token(t, s), token(t, s)
	if a != b || s.TokensIssued() != 1 {
		t.Errorf("repeat request gave a new token")
	}
	s.ExpireTokens()
	status, out := post(t, s.URL()+"/oauth2/tokenP", map[string]string{"grant_type": "client_credentials",
		"appkey": DefaultAppKey, "appsecret": DefaultAppSecret}, nil)
	if status != 403 || out["error_code"] != "EGW00133" {
		t.Errorf("too soon: %d %v", status, out)
	}
	status, out = post(t, s.URL()+"/oauth2/tokenP", map[string]string{"grant_type": "client_credentials",
		"appkey": "nope", "appsecret": DefaultAppSecret}, nil)
	if status != 403 || out["error_code"] != "EGW00103" {
		t.Errorf("bad key: %d %v", status, out)
	}
}

// The gateway checks: Bearer prefix, known token, TR valid for the environment.
func TestGatewayChecks(t *testing.T) {
	s := newServer(t, Options{})
	tok := token(t, s)
	s.Publish(market.Tick{Time: time.Now(), Symbol: "005930", Price: 1000, Volume: 1})
	cases := []struct {
		name, auth, tr, code string
		status               int
	}{
		{"ok", "Bearer " + tok, "FHKST01010100", "", 200},
		{"no bearer", tok, "FHKST01010100", "EGW00205", 500},
		{"unknown token", "Bearer nope", "FHKST01010100", "EGW00121", 500},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(http.MethodGet, s.URL()+"/uapi/domestic-stock/v1/quotations/inquire-price?fid_cond_mrkt_div_code=J&fid_input_iscd=005930", nil)
		req.Header.Set("authorization", c.auth)
		req.Header.Set("appkey", DefaultAppKey)
		req.Header.Set("appsecret", DefaultAppSecret)
		req.Header.Set("tr_id", c.tr)
		status, out := do(t, req)
		if status != c.status || (c.code != "" && out["msg_cd"] != c.code) || (c.code == "" && out["rt_cd"] != "0") {
			t.Errorf("%s: %d %v", c.name, status, out)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL()+"/uapi/domestic-stock/v1/trading/inquire-balance?CANO=50123456&ACNT_PRDT_CD=01", nil)
	req.Header.Set("authorization", "Bearer "+tok)
	req.Header.Set("appkey", DefaultAppKey)
	req.Header.Set("appsecret", DefaultAppSecret)
	req.Header.Set("tr_id", "TTTC8434R") // a real TR on the paper server
	if status, out := do(t, req); status != 500 || out["msg_cd"] != "EGW00213" {
		t.Errorf("real TR on paper: %d %v", status, out)
	}
}

// The frames the server writes parse with the client's parser at the
// widths KIS uses (46 trade fields, 62 order-book fields).
func TestPublishedFramesParse(t *testing.T) {
	st := &symbolState{}
	tk := market.Tick{Time: time.Date(2026, 11, 26, 9, 0, 1, 0, market.Seoul), Symbol: "005930", Price: 65800, Volume: 7}
	rec := st.apply(tk)
	p := kis.NewParser(nil)
	f, err := kis.SplitFrame(frame(kis.TRTrade, 1, rec))
	if err != nil {
		t.Fatal(err)
	}
	trades, err := p.Trades(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tr := trades[0]; tr.Fields != 46 || tr.Price != 65800 || tr.CumVolume != 7 || !tr.Time.Equal(tk.Time) || tr.Bid != 65700 {
		t.Errorf("trade %+v", tr)
	}
	f, _ = kis.SplitFrame(frame(kis.TROrderBook, 1, bookRecord(tk, 7)))
	books, err := p.OrderBooks(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b := books[0]; b.Fields != 62 || b.Asks[0] != 65800 || b.Bids[0] != 65700 || b.Asks[1] != 65900 {
		t.Errorf("book %+v", b)
	}
}

// WebSocket control answers (§4.4): duplicate, unknown unsubscribe,
// invalid TR, malformed JSON; any path is accepted.
func TestWebSocketControlAnswers(t *testing.T) {
	s := newServer(t, Options{})
	_, out := post(t, s.URL()+"/oauth2/Approval", map[string]string{"grant_type": "client_credentials",
		"appkey": DefaultAppKey, "secretkey": DefaultAppSecret}, nil)
	key, _ := out["approval_key"].(string)
	conn, _, err := websocket.DefaultDialer.Dial(s.WSURL()+"/tryitout/H0STCNT0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sub := func(trType, tr, trKey string) string {
		m := `{"header":{"approval_key":"` + key + `","custtype":"P","tr_type":"` + trType + `","content-type":"utf-8"},"body":{"input":{"tr_id":"` + tr + `","tr_key":"` + trKey + `"}}}`
		return roundTrip(t, conn, m)
	}
	cases := []struct{ got, want string }{
		{sub("1", "H0STCNT0", "005930"), "OPSP0000"},
		{sub("1", "H0STCNT0", "005930"), "OPSP0002"},
		{sub("2", "H0STASP0", "005930"), "OPSP0003"},
		{sub("1", "H0STCNI0", "qbtester"), "OPSP8991"}, // the real notice TR on paper
		{sub("1", "H0STCNI9", "qbtester"), `"encrypt":"Y"`},
		{roundTrip(t, conn, "{not json"), "OPSP9999"},
		{roundTrip(t, conn, `{"body":{}}`), "OPSP9990"},
	}
	for i, c := range cases {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("case %d: %s, want %s", i, c.got, c.want)
		}
	}
}

func roundTrip(t *testing.T, conn *websocket.Conn, msg string) string {
	t.Helper()
	if err := conn.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, b, err := conn.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
