package kistest

import "time"

// faults are the misbehaviours a test switches on.
type faults struct {
	delay         time.Duration
	orderDelay    time.Duration
	rateLimitNext int
	rateLimited   int
	loseOrders    int
	dropOrders    int
	alreadyInUse  bool
}

// SetDelay delays every REST answer by d (0 turns it off).
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	s.faults.delay = d
	s.mu.Unlock()
}

// RateLimitNext answers the next n TR requests with HTTP 500 EGW00201, as
// KIS does when the per-second limit is exceeded.
func (s *Server) RateLimitNext(n int) {
	s.mu.Lock()
	s.faults.rateLimitNext += n
	s.mu.Unlock()
}

// RateLimited is how many requests were refused with EGW00201.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.rateLimited
}

// ExpireTokens makes every issued access token expired: the next TR request
// gets HTTP 500 EGW00123 and a token request gets a new token.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.opt.Now().Add(-time.Second)
	for t := range s.auth.tokens {
		s.auth.tokens[t] = past
	}
}

// LoseOrderResponses makes the next n cash orders be accepted (and
// notified) while their HTTP response is dropped: the connection is closed
// without an answer.
func (s *Server) LoseOrderResponses(n int) {
	s.mu.Lock()
	s.faults.loseOrders += n
	s.mu.Unlock()
}

// SetAlreadyInUse makes subscribe requests on new sessions fail with
// OPSP8996 ALREADY IN USE appkey, as when another process holds the key.
func (s *Server) SetAlreadyInUse(on bool) {
	s.mu.Lock()
	s.faults.alreadyInUse = on
	s.mu.Unlock()
}

// DropConnections closes every WebSocket connection without a close frame,
// as KIS does (§4.5), and returns how many there were.
func (s *Server) DropConnections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for ss := range s.sessions {
		ss.conn.NetConn().Close()
		delete(s.sessions, ss)
		n++
	}
	return n
}

// DelayOrders delays cash-order requests by d before they are processed.
// The order is processed after the delay even when the client has given up
// meanwhile, as a real gateway may (0 turns it off).
func (s *Server) DelayOrders(d time.Duration) {
	s.mu.Lock()
	s.faults.orderDelay = d
	s.mu.Unlock()
}

// ForgetApprovals invalidates every approval key issued so far: the next
// registration on a new connection gets OPSP0011 "invalid approval : <key>".
func (s *Server) ForgetApprovals() {
	s.mu.Lock()
	for k := range s.auth.approvals {
		s.auth.forgotten = append(s.auth.forgotten, k)
	}
	s.auth.approvals = map[string]bool{}
	s.mu.Unlock()
}

// RevokeTokens forgets every access token, as after a server-side revoke:
// the next TR request gets HTTP 500 EGW00121.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.auth.tokens {
		s.auth.forgotten = append(s.auth.forgotten, t)
	}
	s.auth.tokens = map[string]time.Time{}
	s.auth.current = ""
}

// DropOrderRequests makes the next n cash-order requests vanish: the
// connection is closed before the order is looked at, so nothing is placed.
func (s *Server) DropOrderRequests(n int) {
	s.mu.Lock()
	s.faults.dropOrders += n
	s.mu.Unlock()
}
