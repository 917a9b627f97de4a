package kis

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// MaxRegistrations is how many (TR, key) registrations one KIS WebSocket
// session accepts; the 42nd is refused with OPSP0008 (§4.6).
const MaxRegistrations = 41

// Sub is one registration: a real-time TR for a key (a stock code, or the
// HTS ID for execution notices).
type Sub struct {
	TR  string
	Key string
}

// String masks the key of notice registrations (it is the HTS ID).
func (s Sub) String() string {
	if s.TR == TRNotice || s.TR == TRNoticePaper {
		return s.TR + "/" + Mask(s.Key)
	}
	return s.TR + "/" + s.Key
}

// Gap reports a stretch of time the feed was not receiving: from the last
// message before a connection dropped to the moment every registration was
// sent again on the new connection. Trades in between are lost (KIS does
// not replay); a consumer that needs them asks the REST API.
type Gap struct {
	From, To time.Time
	Attempts int   // connection attempts it took
	Cause    error // why the old connection ended (credentials redacted)
}

// Handler receives what the feed reads. Every function is called on the
// feed's reading goroutine, one at a time; a *Trade or *OrderBook is reused
// after the call returns, so copy what you keep. Nil functions are skipped.
type Handler struct {
	Trade     func(*Trade)
	OrderBook func(*OrderBook)
	Notice    func(Notice)
	Gap       func(Gap)
	// Error reports a problem that does not stop the feed: a refused
	// registration (OPSP0008, OPSP8991, …), a frame that does not parse, a
	// dropped connection.
	Error func(error)
}

// FeedOptions tunes reconnection. Zero values take the defaults noted.
type FeedOptions struct {
	MinBackoff       time.Duration // first wait before reconnecting; default 500 ms
	MaxBackoff       time.Duration // cap of the doubling wait; default 30 s
	ReadTimeout      time.Duration // silence (not even PINGPONG) after which the connection is presumed dead; default 70 s
	MaxRegistrations int           // default MaxRegistrations (41)
}

// Feed is a KIS real-time session that survives dropped connections: it
// reconnects with back-off, registers everything again and reports the gap.
type Feed struct {
	c       *Client
	h       Handler
	opt     FeedOptions
	running atomic.Bool

	mu       sync.Mutex
	subs     []Sub
	conn     *websocket.Conn
	wmu      sync.Mutex // one writer at a time on conn
	approval Secret
	// freshApproval: the key was issued for the current connection, so a
	// refusal of it is not a stale-key problem.
	freshApproval bool
	keys          map[string]NoticeKey // AES key per encrypted TR, from its ack
	lastSeen      time.Time

	// reader-goroutine state
	parser *Parser
	trades []Trade
	books  []OrderBook
	last   map[string]*seen // per symbol, to drop a trade delivered before
	seq    int64            // the last Trade.Seq given
}

// recentTrades is how many of a symbol's last trades the feed remembers to
// drop one sent again (the snapshot a subscribe may bring).
const recentTrades = 64

// fingerprint identifies a trade by what KIS sends: the same second, price,
// size and running volume is the same print.
type fingerprint struct {
	time         int64
	price, vol   int64
	cumVol, cumN int64
}

// seen is a ring of a symbol's last fingerprints.
type seen struct {
	fp [recentTrades]fingerprint
	n  int
}

// NewFeed returns a feed using c's credentials and WebSocket URL. Start it
// with Run.
func (c *Client) NewFeed(h Handler, opt FeedOptions) *Feed {
	setDur(&opt.MinBackoff, 500*time.Millisecond)
	setDur(&opt.MaxBackoff, 30*time.Second)
	setDur(&opt.ReadTimeout, 70*time.Second)
	if opt.MaxRegistrations <= 0 {
		opt.MaxRegistrations = MaxRegistrations
	}
	return &Feed{c: c, h: h, opt: opt, keys: map[string]NoticeKey{}, parser: NewParser(c.cfg.Now),
		trades: make([]Trade, 0, 16), books: make([]OrderBook, 0, 4), last: map[string]*seen{}}
}

// NoticeTR is the execution-notice TR of the client's environment.
func (c *Client) NoticeTR() string {
	if c.cfg.Env == Paper {
		return TRNoticePaper
	}
	return TRNotice
}

// Subscribe registers tr for key. It is kept across reconnections. The
// registration is sent at once when connected; KIS's answer arrives later
// (a refusal goes to Handler.Error). Registering past the session limit
// fails here, before anything is sent.
func (f *Feed) Subscribe(ctx context.Context, tr, key string) error {
	s := Sub{TR: tr, Key: key}
	f.mu.Lock()
	for _, have := range f.subs {
		if have == s {
			f.mu.Unlock()
			return nil
		}
	}
	if len(f.subs) >= f.opt.MaxRegistrations {
		n := len(f.subs)
		f.mu.Unlock()
		return fmt.Errorf("kis feed: subscribe %v: %w: a session holds at most %d (trade and order book of one stock count as 2), have %d; unsubscribe first",
			s, ErrMaxSubscriptions, f.opt.MaxRegistrations, n)
	}
	f.subs = append(f.subs, s)
	conn := f.conn
	f.mu.Unlock()
	if conn == nil {
		return nil
	}
	return f.send(ctx, conn, s, "1")
}

// Unsubscribe removes a registration.
func (f *Feed) Unsubscribe(ctx context.Context, tr, key string) error {
	s := Sub{TR: tr, Key: key}
	f.mu.Lock()
	found := false
	for i, have := range f.subs {
		if have == s {
			f.subs = append(f.subs[:i], f.subs[i+1:]...)
			found = true
			break
		}
	}
	conn := f.conn
	f.mu.Unlock()
	if !found {
		return fmt.Errorf("kis feed: unsubscribe %v: %w", s, ErrNotSubscribed)
	}
	if conn == nil {
		return nil
	}
	return f.send(ctx, conn, s, "2")
}

// SubscribeNotices registers the account's execution notices (H0STCNI0 or
// H0STCNI9 with the HTS ID).
func (f *Feed) SubscribeNotices(ctx context.Context) error {
	if f.c.cfg.HTSID == "" {
		return fmt.Errorf("kis feed: execution notices need the HTS ID (Config.HTSID)")
	}
	return f.Subscribe(ctx, f.c.NoticeTR(), f.c.cfg.HTSID.Reveal())
}

// Subscriptions lists the current registrations.
func (f *Feed) Subscriptions() []Sub {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Sub(nil), f.subs...)
}

type subscribeRequest struct {
	Header struct {
		ApprovalKey string `json:"approval_key"`
		CustType    string `json:"custtype"`
		TrType      string `json:"tr_type"`
		ContentType string `json:"content-type"`
	} `json:"header"`
	Body struct {
		Input struct {
			TrID  string `json:"tr_id"`
			TrKey string `json:"tr_key"`
		} `json:"input"`
	} `json:"body"`
}

// send writes one registration request (§4.2): trType "1" subscribe, "2" unsubscribe.
func (f *Feed) send(ctx context.Context, conn *websocket.Conn, s Sub, trType string) error {
	var m subscribeRequest
	f.mu.Lock()
	m.Header.ApprovalKey = f.approval.Reveal()
	f.mu.Unlock()
	m.Header.CustType, m.Header.TrType, m.Header.ContentType = "P", trType, "utf-8"
	m.Body.Input.TrID, m.Body.Input.TrKey = s.TR, s.Key
	f.wmu.Lock()
	defer f.wmu.Unlock()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetWriteDeadline(dl)
	} else {
		_ = conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	}
	if err := conn.WriteJSON(m); err != nil {
		return fmt.Errorf("kis feed: send %v: %s", s, f.c.redact.Redact(err.Error()))
	}
	return nil
}
