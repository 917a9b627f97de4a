package kis

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/gorilla/websocket"
)

// maxInUse is how many OPSP8996 answers in a row a reconnecting feed
// tolerates before giving up.
const maxInUse = 3

// fatalError ends Run: reconnecting cannot help.
type fatalError struct{ err error }

// Error returns the wrapped error's text.
func (e *fatalError) Error() string { return e.err.Error() }

// Unwrap returns the wrapped error.
func (e *fatalError) Unwrap() error { return e.err }

// Run connects, registers every subscription and reads until ctx ends or a
// fatal error: another session holds the app key (ErrAlreadyInUse), the
// credentials are refused, or approval keys keep being refused. A dropped
// connection is not fatal: Run waits (doubling from MinBackoff to
// MaxBackoff), reconnects, registers again and reports the Gap. Run returns
// nil when ctx ends. A Feed runs once at a time: a second concurrent Run
// returns an error at once.
func (f *Feed) Run(ctx context.Context) error {
	if !f.running.CompareAndSwap(false, true) {
		return fmt.Errorf("kis feed: already running")
	}
	defer f.running.Store(false)
	backoff := f.opt.MinBackoff
	var lost time.Time
	var cause error
	attempts, inUse := 0, 0
	for {
		attempts++
		live, err := f.session(ctx, lost, attempts, cause)
		if ctx.Err() != nil {
			return nil
		}
		var fe *fatalError
		if errors.As(err, &fe) {
			return fe.err
		}
		if errors.Is(err, ErrAlreadyInUse) {
			// Right after a drop KIS may still hold the old session for a
			// moment; on a first connection, or repeatedly, it is another process.
			if inUse++; lost.IsZero() || inUse >= maxInUse {
				return err
			}
			live = false
		} else if live {
			inUse = 0
		}
		if live {
			backoff, attempts = f.opt.MinBackoff, 0
			lost, cause = f.seenAt(), err
			f.report(fmt.Errorf("kis feed: connection lost, reconnecting: %w", err))
		}
		f.c.cfg.Logger.Warn("kis feed disconnected", "err", f.c.redact.Redact(err.Error()), "retry_in", backoff)
		if sleep(ctx, backoff) != nil {
			return nil
		}
		backoff = min(2*backoff, f.opt.MaxBackoff)
	}
}

func (f *Feed) seenAt() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastSeen
}

func (f *Feed) report(err error) {
	if f.h.Error != nil {
		f.h.Error(err)
	}
}

// session runs one connection. live says whether it got as far as
// registering (so that the next failure counts as a drop, not a failed dial).
func (f *Feed) session(ctx context.Context, lost time.Time, attempts int, cause error) (live bool, err error) {
	conn, err := f.dial(ctx)
	if err != nil {
		return false, err
	}
	stop := context.AfterFunc(ctx, func() { conn.NetConn().Close() })
	defer stop()
	defer func() {
		f.mu.Lock()
		f.conn = nil
		f.mu.Unlock()
		conn.NetConn().Close()
	}()
	f.mu.Lock()
	f.conn = conn
	subs := append([]Sub(nil), f.subs...)
	f.lastSeen = f.c.cfg.Now()
	f.mu.Unlock()
	for _, s := range subs {
		if err := f.send(ctx, conn, s, "1"); err != nil {
			return false, err
		}
	}
	if !lost.IsZero() && f.h.Gap != nil {
		f.h.Gap(Gap{From: lost, To: f.c.cfg.Now(), Attempts: attempts, Cause: cause})
	}
	return true, f.read(conn)
}

func (f *Feed) dial(ctx context.Context) (*websocket.Conn, error) {
	f.mu.Lock()
	key := f.approval
	f.mu.Unlock()
	if key == "" {
		k, err := f.c.ApprovalKey(ctx)
		if errors.Is(err, ErrBadCredentials) {
			return nil, &fatalError{err}
		}
		if err != nil {
			return nil, err
		}
		f.mu.Lock()
		f.approval, f.freshApproval = k, true
		f.mu.Unlock()
	} else {
		f.mu.Lock()
		f.freshApproval = false
		f.mu.Unlock()
	}
	u, err := url.Parse(f.c.cfg.WSURL)
	if err != nil {
		return nil, &fatalError{fmt.Errorf("kis feed: WebSocket URL: %w", err)}
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/tryitout"
	}
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	conn, resp, err := d.DialContext(ctx, u.String(), nil)
	if resp != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("kis feed: connect %s: %w", u.Host, err)
	}
	return conn, nil
}

// read handles messages until the connection fails.
func (f *Feed) read(conn *websocket.Conn) error {
	var buf bytes.Buffer
	for {
		_ = conn.SetReadDeadline(time.Now().Add(f.opt.ReadTimeout))
		_, r, err := conn.NextReader()
		if err != nil {
			return fmt.Errorf("kis feed: read: %w", err)
		}
		buf.Reset()
		if _, err := buf.ReadFrom(r); err != nil {
			return fmt.Errorf("kis feed: read: %w", err)
		}
		f.mu.Lock()
		f.lastSeen = f.c.cfg.Now()
		f.mu.Unlock()
		if err := f.handle(conn, buf.Bytes()); err != nil {
			return err
		}
	}
}

// handle dispatches one message; an error return ends the connection.
func (f *Feed) handle(conn *websocket.Conn, msg []byte) error {
	fr, err := SplitFrame(msg)
	if err != nil {
		f.report(err)
		return nil
	}
	if fr.Kind == ControlFrame {
		return f.control(conn, fr.Payload)
	}
	switch fr.TR {
	case TRTrade:
		f.onTrades(fr)
	case TROrderBook:
		f.onBooks(fr)
	case TRNotice, TRNoticePaper:
		f.onNotices(fr)
	}
	return nil
}

func (f *Feed) onTrades(fr Frame) {
	var err error
	if f.trades, err = f.parser.Trades(fr, f.trades[:0]); err != nil {
		f.report(err)
		return
	}
	now := time.Now().UnixNano()
	for i := range f.trades {
		t := &f.trades[i]
		if f.duplicate(t) || f.h.Trade == nil {
			continue
		}
		f.seq = max(now, f.seq+1)
		t.Seq = f.seq
		f.h.Trade(t)
	}
}

// duplicate reports a trade already delivered: one of the symbol's last
// trades with the same time, price, size and running totals (a snapshot
// resent on subscribe). It does not rely on the running volume rising: a
// server that restarts starts it again from zero, and its trades are new.
// A trade without running volume is never taken for a repeat.
func (f *Feed) duplicate(t *Trade) bool {
	if t.CumVolume == 0 {
		return false
	}
	fp := fingerprint{time: t.Time.Unix(), price: t.Price, vol: t.Volume, cumVol: t.CumVolume, cumN: t.BuyCount + t.SellCount}
	s := f.last[string(t.Symbol)]
	if s == nil {
		s = &seen{}
		f.last[string(t.Symbol)] = s
	}
	for i := range min(s.n, recentTrades) {
		if s.fp[i] == fp {
			return true
		}
	}
	s.fp[s.n%recentTrades] = fp
	s.n++
	return false
}

func (f *Feed) onBooks(fr Frame) {
	var err error
	if f.books, err = f.parser.OrderBooks(fr, f.books[:0]); err != nil {
		f.report(err)
		return
	}
	for i := range f.books {
		if f.h.OrderBook != nil {
			f.h.OrderBook(&f.books[i])
		}
	}
}

func (f *Feed) onNotices(fr Frame) {
	f.mu.Lock()
	key, ok := f.keys[fr.TR]
	f.mu.Unlock()
	if !ok {
		f.report(fmt.Errorf("kis feed: %s notice before its subscribe ack: no key to decrypt it", fr.TR))
		return
	}
	ns, err := Notices(fr, key)
	if err != nil {
		f.report(err)
		return
	}
	for _, n := range ns {
		if f.h.Notice != nil {
			f.h.Notice(n)
		}
	}
}
