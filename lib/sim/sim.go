package sim

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// Sim generates the ticks of a simulated market. It is not safe for
// concurrent use: one goroutine calls Next, or Run.
type Sim struct {
	rng      rand.PCG
	books    []book
	cal      *krx.Calendar
	interval time.Duration
	steps    int64 // ticks per symbol in a regular session, for the move odds
	session  krx.Session
	now      time.Time // market time of the next tick
	seq      int64
}

// seedSalt fills the PCG's second seed word, so that Seed alone picks the
// stream.
const seedSalt = 0x9e3779b97f4a7c15

// New returns a simulation of cfg, whose zero fields take their defaults.
// The error, from Config.Validate, names the bad field.
func New(cfg Config) (*Sim, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new simulation: %w", err)
	}
	cfg = cfg.withDefaults()
	s := &Sim{cal: cfg.Calendar, interval: cfg.TickInterval}
	s.rng.Seed(cfg.Seed, seedSalt)
	regular := krx.RegularClose - krx.RegularOpen
	s.steps = max(1, int64(regular/cfg.TickInterval)/int64(len(cfg.Symbols)))
	s.books = make([]book, len(cfg.Symbols))
	for i, in := range cfg.Symbols {
		s.books[i] = book{inst: in, price: in.Price}
		s.books[i].open(s.steps)
	}
	s.seek(cfg.Start.In(market.Seoul))
	return s, nil
}

// Instruments returns the simulated instruments, defaults filled in, in
// the order of Config.Symbols.
func (s *Sim) Instruments() []Instrument {
	out := make([]Instrument, len(s.books))
	for i := range s.books {
		out[i] = s.books[i].inst
	}
	return out
}

// Next returns the next tick. It reads no clock and allocates nothing: the
// same Config gives the same sequence.
func (s *Sim) Next() market.Tick {
	if !s.now.Before(s.session.Close) {
		s.nextDay()
	}
	at := s.now
	s.now = s.now.Add(s.interval)
	s.seq++
	b := &s.books[s.rng.Uint64()%uint64(len(s.books))]
	b.step(s.rng.Uint64())
	return b.tick(at, s.seq, s.rng.Uint64())
}

// seek places the clock at t if t is inside a trading session, or else at
// the open of the next session.
func (s *Sim) seek(t time.Time) {
	if sess, ok := s.cal.Session(t); ok && t.Before(sess.Close) {
		s.session = sess
		s.now = t
		if t.Before(sess.Open) {
			s.now = sess.Open
		}
		return
	}
	s.session = s.sessionAfter(t)
	s.now = s.session.Open
}

// sessionAfter returns the session of the first trading day after t's date.
func (s *Sim) sessionAfter(t time.Time) krx.Session {
	sess, _ := s.cal.Session(s.cal.NextTradingDay(t))
	return sess
}

// nextDay moves to the next session; every symbol's close becomes its base.
func (s *Sim) nextDay() {
	s.session = s.sessionAfter(s.session.Open)
	s.now = s.session.Open
	for i := range s.books {
		s.books[i].open(s.steps)
	}
}
