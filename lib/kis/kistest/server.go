// Package kistest is a KIS Open API protocol server for tests and demos: REST
// and WebSocket on 127.0.0.1, in KIS's wire format (KIS.md), with a paper
// account that fills orders by a simple rule and sends encrypted execution
// notices, and switches that make it misbehave the ways the real servers do.
//
// Fill rule: an order rests from the moment it is accepted; the next trade
// published for its symbol whose price satisfies it (market orders: any
// price; limit buys: price ≤ limit; limit sells: price ≥ limit) fills the
// whole order at that trade's price. No fees or taxes are charged. Buys need
// the cash for qty × (limit, else last trade price); sells need the shares.
package kistest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/market"
)

// Options configures a Server. Zero values take the defaults noted.
type Options struct {
	Env       kis.Env // default kis.Paper: V… TR ids, H0STCNI9 notices
	AppKey    string  // default DefaultAppKey
	AppSecret string  // default DefaultAppSecret
	Account   string  // 10 digits; default DefaultAccount
	HTSID     string  // default DefaultHTSID
	Cash      int64   // starting cash, won; default 100,000,000

	// RatePerSecond enforces KIS's REST limit (EGW00201); 0 = no limit.
	RatePerSecond float64
	// TokenTTL is how long an access token lives; default 24 h.
	TokenTTL time.Duration
	// TokenMinInterval refuses a new token sooner than this after the last
	// one with 403 EGW00133; 0 = no limit.
	TokenMinInterval time.Duration
	// PageSize is the rows per page of balance and daily-fills answers;
	// default 20 (paper balance size).
	PageSize int
	// PingInterval is the PINGPONG period; default 20 s.
	PingInterval time.Duration
	// MaxSubscriptions per session; default 41 (the 42nd gets OPSP0008).
	MaxSubscriptions int
	// ReplayLastTrade sends a symbol's last trade again right after each
	// subscribe, as a snapshot; a client must not count it twice.
	ReplayLastTrade bool

	// RESTAddr and WSAddr are the listen addresses; default "127.0.0.1:0"
	// (a free port). A process serving demos may fix them.
	RESTAddr, WSAddr string

	Now  func() time.Time     // default time.Now
	Logf func(string, ...any) // server log; default none
}

// Credentials the server accepts by default. They are obviously fake.
const (
	DefaultAppKey    = "PStestappkey0000000000000000000000000"
	DefaultAppSecret = "testappsecret-0000000000000000000000000000000000000000000000000000000000000000"
	DefaultAccount   = "5012345601"
	DefaultHTSID     = "qbtester"
)

// Server is a running protocol server. Its methods are safe for concurrent use.
type Server struct {
	opt  Options
	rest *http.Server
	ws   *http.Server
	rl   net.Listener
	wl   net.Listener
	up   websocket.Upgrader
	wg   sync.WaitGroup
	lim  *rate.Limiter

	mu       sync.Mutex
	auth     authState
	faults   faults
	sessions map[*session]bool
	market   map[market.Symbol]*symbolState
	acct     account
	stop     chan struct{}
}

// New starts a server on two 127.0.0.1 ports, one for REST and one for the
// WebSocket, as KIS uses separate hosts.
func New(opt Options) (*Server, error) {
	opt.defaults()
	s := &Server{opt: opt, sessions: map[*session]bool{}, market: map[market.Symbol]*symbolState{},
		stop: make(chan struct{})}
	s.acct = newAccount(opt.Cash)
	if opt.RatePerSecond > 0 {
		s.lim = rate.NewLimiter(rate.Limit(opt.RatePerSecond), max(1, int(opt.RatePerSecond)))
	}
	var err error
	if s.rl, err = net.Listen("tcp", opt.RESTAddr); err != nil {
		return nil, fmt.Errorf("kistest: listen: %w", err)
	}
	if s.wl, err = net.Listen("tcp", opt.WSAddr); err != nil {
		s.rl.Close()
		return nil, fmt.Errorf("kistest: listen: %w", err)
	}
	s.rest = &http.Server{Handler: s.restHandler(), ReadHeaderTimeout: 10 * time.Second}
	s.ws = &http.Server{Handler: http.HandlerFunc(s.serveWS), ReadHeaderTimeout: 10 * time.Second}
	s.up.CheckOrigin = func(*http.Request) bool { return true }
	s.goServe(s.rest, s.rl)
	s.goServe(s.ws, s.wl)
	return s, nil
}

func (o *Options) defaults() {
	if o.Env == 0 {
		o.Env = kis.Paper
	}
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&o.AppKey, DefaultAppKey)
	def(&o.AppSecret, DefaultAppSecret)
	def(&o.Account, DefaultAccount)
	def(&o.HTSID, DefaultHTSID)
	if o.Cash == 0 {
		o.Cash = 100_000_000
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = 24 * time.Hour
	}
	if o.PageSize <= 0 {
		o.PageSize = 20
	}
	if o.PingInterval <= 0 {
		o.PingInterval = 20 * time.Second
	}
	if o.MaxSubscriptions <= 0 {
		o.MaxSubscriptions = 41
	}
	def(&o.RESTAddr, "127.0.0.1:0")
	def(&o.WSAddr, "127.0.0.1:0")
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
}

func (s *Server) goServe(hs *http.Server, l net.Listener) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.opt.Logf("kistest: serve: %v", err)
		}
	}()
}

// URL is the REST base URL (for kis.Config.BaseURL).
func (s *Server) URL() string { return "http://" + s.rl.Addr().String() }

// WSURL is the WebSocket base URL (for kis.Config.WSURL).
func (s *Server) WSURL() string { return "ws://" + s.wl.Addr().String() }

// Options returns the server's options with defaults filled in, so a test
// can build a matching client.
func (s *Server) Options() Options { return s.opt }

// Close stops both listeners and drops every WebSocket session.
func (s *Server) Close() error {
	s.mu.Lock()
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	for ss := range s.sessions {
		ss.conn.NetConn().Close()
	}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := errors.Join(s.rest.Shutdown(ctx), s.ws.Shutdown(ctx))
	s.wg.Wait()
	return err
}
