package kistest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

type authState struct {
	tokens    map[string]time.Time // token → expiry
	current   string
	issued    time.Time
	nIssued   int
	issueLog  []time.Time
	approvals map[string]bool
	forgotten []string       // approval keys invalidated by ForgetApprovals
	requests  map[string]int // TR id → requests that passed the gateway
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// handleToken issues an access token (§2.1): the same token again while it
// is valid (the 6-hour rule, simplified to "while valid"), and 403 EGW00133
// when asked again within TokenMinInterval.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		GrantType string `json:"grant_type"`
		AppKey    string `json:"appkey"`
		AppSecret string `json:"appsecret"`
	}
	if json.NewDecoder(r.Body).Decode(&in) != nil || in.GrantType != "client_credentials" {
		writeJSON(w, http.StatusForbidden, map[string]string{"error_code": "EGW00115", "error_description": "grant_type 필수"})
		return
	}
	if code, desc := s.checkKeys(in.AppKey, in.AppSecret); code != "" {
		writeJSON(w, http.StatusForbidden, map[string]string{"error_code": code, "error_description": desc})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opt.Now()
	a := &s.auth
	if exp, ok := a.tokens[a.current]; ok && now.Before(exp) {
		writeToken(w, a.current, exp, s.opt.TokenTTL)
		return
	}
	if s.opt.TokenMinInterval > 0 && a.nIssued > 0 && now.Sub(a.issued) < s.opt.TokenMinInterval {
		writeJSON(w, http.StatusForbidden, map[string]string{"error_code": "EGW00133",
			"error_description": "접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)"})
		return
	}
	if a.tokens == nil {
		a.tokens = map[string]time.Time{}
	}
	tok := "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9." + randHex(48)
	exp := now.Add(s.opt.TokenTTL)
	a.tokens[tok], a.current, a.issued = exp, tok, now
	a.nIssued++
	a.issueLog = append(a.issueLog, now)
	writeToken(w, tok, exp, s.opt.TokenTTL)
}

func writeToken(w http.ResponseWriter, tok string, exp time.Time, ttl time.Duration) {
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer",
		"expires_in": int64(ttl / time.Second), "access_token_token_expired": exp.In(market.Seoul).Format("2006-01-02 15:04:05")})
}

func (s *Server) checkKeys(appKey, secret string) (code, desc string) {
	switch {
	case appKey == "":
		return "EGW00102", "AppKey는 필수입니다."
	case appKey != s.opt.AppKey:
		return "EGW00103", "유효하지 않은 AppKey입니다."
	case secret == "":
		return "EGW00104", "AppSecret은 필수입니다."
	case secret != s.opt.AppSecret:
		return "EGW00105", "유효하지 않은 AppSecret입니다."
	}
	return "", ""
}

// handleApproval issues a WebSocket approval key (§2.3).
func (s *Server) handleApproval(w http.ResponseWriter, r *http.Request) {
	var in struct {
		GrantType string `json:"grant_type"`
		AppKey    string `json:"appkey"`
		SecretKey string `json:"secretkey"`
	}
	if json.NewDecoder(r.Body).Decode(&in) != nil || in.GrantType != "client_credentials" {
		writeJSON(w, http.StatusForbidden, map[string]string{"error_code": "EGW00115", "error_description": "grant_type 필수"})
		return
	}
	if code, desc := s.checkKeys(in.AppKey, in.SecretKey); code != "" {
		writeJSON(w, http.StatusForbidden, map[string]string{"error_code": code, "error_description": desc})
		return
	}
	k := randHex(4) + "-" + randHex(2) + "-" + randHex(2) + "-" + randHex(2) + "-" + randHex(6)
	s.mu.Lock()
	if s.auth.approvals == nil {
		s.auth.approvals = map[string]bool{}
	}
	s.auth.approvals[k] = true
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"approval_key": k})
}

// checkAuth validates the headers every TR needs (§2.5).
func (s *Server) checkAuth(r *http.Request) (code, msg string) {
	if code, msg := s.checkKeys(r.Header.Get("appkey"), r.Header.Get("appsecret")); code != "" {
		return code, msg
	}
	auth := r.Header.Get("authorization")
	if !strings.HasPrefix(auth, "Bearer ") {
		return "EGW00205", "credentials_type이 유효하지 않습니다.(Bearer)"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.auth.tokens[strings.TrimPrefix(auth, "Bearer ")]
	switch {
	case !ok:
		return "EGW00121", "유효하지 않은 token 입니다."
	case !s.opt.Now().Before(exp):
		return "EGW00123", "기간이 만료된 token 입니다."
	}
	return "", ""
}

func (s *Server) countRequest(tr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.auth.requests == nil {
		s.auth.requests = map[string]int{}
	}
	s.auth.requests[tr]++
}

// TokensIssued is how many distinct access tokens the server has issued.
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.auth.nIssued
}

// Requests is how many requests for a TR id passed the gateway checks.
func (s *Server) Requests(tr string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.auth.requests[tr]
}

// TokenIssueTimes lists when each access token was issued.
func (s *Server) TokenIssueTimes() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.auth.issueLog...)
}

// Secrets lists every credential the server knows or issued (app key and
// secret, account, HTS ID, tokens, approval keys), for tests that check a
// client never shows one.
func (s *Server) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []string{s.opt.AppKey, s.opt.AppSecret, s.opt.Account, s.opt.Account[:8], s.opt.HTSID}
	for t := range s.auth.tokens {
		out = append(out, t)
	}
	for k := range s.auth.approvals {
		out = append(out, k)
	}
	return append(out, s.auth.forgotten...)
}
