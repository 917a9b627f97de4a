package engine

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/paper"
	"github.com/qbtrading/qb/host/risk"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/fill"
	"github.com/qbtrading/qb/lib/market"
)

// Engine runs strategies over a stream of ticks. Create it with New; see
// the package doc for the threading rule and the order of work.
type Engine struct {
	cfg  Config
	log  zerolog.Logger
	gate *risk.Gate
	sink Sink

	strats  []*strat                  // sorted by name
	syms    map[market.Symbol]*symbol // every symbol seen or subscribed
	series  []*series                 // every bar series, by symbol then timeframe
	nextEnd int64                     // earliest end (unix ns) of a forming bar

	now   time.Time
	nowNs int64
	day   int64 // KST day of now
	// sessionDay is the KST day of the last session seen open: the day of
	// the last trade (see lifetime.go).
	sessionDay int64
	clocked    bool // the clock has been set at least once
	nextID     int64
	started    bool
	stopped    bool
	ckptNext   int64 // engine time (unix ns) of the next dueCheckpoints sweep

	// Scratch space, reused so the tick path does not allocate.
	closed   []closedBar
	fills    []market.Fill
	updates  []market.Order
	ev       Event
	barArg   market.Bar
	fillArg  market.Fill
	orderArg market.Order
}

// New builds an engine: it loads each strategy (running its chunk), sets
// up its account, broker and bar series, and registers it with the gate.
// Strategies with the same name are an error.
func New(cfg Config) (*Engine, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	e := &Engine{
		cfg: c, log: c.Log, gate: risk.New(*c.Limits, c.Fees.Commissions()), sink: c.Sink,
		syms: make(map[market.Symbol]*symbol), nextEnd: math.MaxInt64, day: math.MinInt64,
		sessionDay: math.MinInt64,
		nextID:     c.LastOrderID,
	}
	for i := range c.Strategies {
		s, err := e.load(&c.Strategies[i])
		if err != nil {
			e.close()
			return nil, err
		}
		e.strats = append(e.strats, s)
	}
	slices.SortFunc(e.strats, func(a, b *strat) int { return strings.Compare(a.name, b.name) })
	for i := 1; i < len(e.strats); i++ {
		if e.strats[i].name == e.strats[i-1].name {
			e.close()
			return nil, fmt.Errorf("engine: two strategies named %q (%s and %s)",
				e.strats[i].name, e.strats[i-1].file, e.strats[i].file)
		}
	}
	for _, s := range e.strats {
		s.id = e.gate.Register(s.name, s.equity()) // Cash, unless restored
		e.subscribe(s)
	}
	return e, nil
}

// load creates one strategy with its host and broker.
func (e *Engine) load(sp *Spec) (*strat, error) {
	s := &strat{e: e, initial: sp.State, spec: *sp}
	s.acct.init(e.cfg.Cash)
	impl, file, err := e.build(sp, s)
	if err != nil {
		return nil, err
	}
	s.adopt(impl, file)
	if s.broker, err = e.newBroker(s.name); err != nil {
		impl.Close()
		return nil, fmt.Errorf("engine: broker for strategy %s: %w", s.name, err)
	}
	s.market, _ = s.broker.(MarketBroker)
	if sp.Restore != nil {
		if err := e.restore(s, sp.Restore); err != nil {
			impl.Close()
			return nil, err
		}
	}
	return s, nil
}

// build creates the strategy of sp with host h, running its chunk.
func (e *Engine) build(sp *Spec, h *strat) (Strategy, string, error) {
	file := sp.File
	if file == "" && sp.Program != nil {
		file = sp.Program.File
	}
	var impl Strategy
	var err error
	switch {
	case sp.Program != nil:
		impl, err = script.New(sp.Program, h, sp.Options)
	case sp.New != nil:
		impl, err = sp.New(h)
	default:
		err = errors.New("spec has neither a program nor a Go strategy")
	}
	if err != nil {
		return nil, file, fmt.Errorf("engine: load strategy %s: %w", file, err)
	}
	return impl, file, nil
}

// adopt makes impl the strategy's running version.
func (s *strat) adopt(impl Strategy, file string) {
	s.s, s.file = impl, file
	s.meta = impl.Meta()
	s.name = s.meta.Name
	s.log = s.e.log.With().Str("strategy", s.name).Logger()
	s.wantsTick, s.wantsBar = impl.Wants(script.HookTick), impl.Wants(script.HookBar)
	s.wantsFill, s.wantsOrder = impl.Wants(script.HookFill), impl.Wants(script.HookOrder)
	s.paused, s.status = false, script.Status{}
}

func (e *Engine) newBroker(name string) (Broker, error) {
	if e.cfg.NewBroker != nil {
		return e.cfg.NewBroker(name)
	}
	cfg := fill.DefaultConfig()
	cfg.Fees = *e.cfg.Fees
	return paper.New(cfg)
}

// Start runs on_start for each strategy, in name order, handing it its
// Spec.State.
func (e *Engine) Start() error {
	if e.started {
		return errors.New("engine: start: already started")
	}
	e.started = true
	errs := make([]error, 0, len(e.strats))
	for _, s := range e.strats {
		errs = append(errs, e.start(s))
	}
	return errors.Join(errs...)
}

// start runs one strategy's on_start and delivers the order updates it
// caused.
func (e *Engine) start(s *strat) error {
	err := s.s.Start(s.initial)
	if err != nil {
		err = fmt.Errorf("strategy %s: on_start: %w", s.name, err)
		e.checkPaused(s)
	}
	e.drain(s)
	return err
}

// Stop runs on_stop for each strategy still running (orders placed there
// are refused), cancels every open order, books a last equity point and
// closes the strategies. Results holds what the strategies returned. A
// bar still forming is not closed: its time is not up.
func (e *Engine) Stop() error {
	if e.stopped {
		return nil
	}
	e.stopped = true
	var errs []error
	for _, s := range e.strats {
		if s.removed {
			continue
		}
		if !s.paused {
			st, err := s.s.Stop()
			if err != nil {
				errs = append(errs, fmt.Errorf("strategy %s: on_stop: %w", s.name, err))
			}
			s.state = st
		}
		s.state = e.handOver(s, s.state, false)
		s.status = s.s.Status()
		e.cancelAll(s, "engine stopped")
		s.pending = s.pending[:0]
		s.acct.point(e.now, s.equity())
	}
	e.close()
	return errors.Join(errs...)
}

func (e *Engine) close() {
	for _, s := range e.strats {
		if !s.closed {
			s.closed = true
			s.s.Close()
		}
	}
}

// Now returns the engine's clock.
func (e *Engine) Now() time.Time { return e.now }
