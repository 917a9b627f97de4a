// Package kisbroker routes a host's orders to a KIS account (lib/kis) and
// brings the account's fills back into the engine.
//
// One Account serves every strategy of a run: KIS has one cash account per
// app key, one rate limiter and one WebSocket session. Broker returns the
// engine.Broker of one strategy.
//
// Orders leave on a worker goroutine, one at a time, so that a hook never
// waits for KIS's rate limit: Submit queues the order and returns. What
// KIS says later reaches the engine as work for its goroutine (Work):
// fills from the execution notices (Notice, wired to the feed's
// Handler.Notice), refusals, and fills the notices missed, found by
// Reconcile in the daily orders. Fills are counted per order against the
// order's quantity and KIS's own cumulative figure, so a fill is booked once
// whichever path reports it first.
package kisbroker

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// Client is the part of *kis.Client the account uses.
type Client interface {
	PlaceOrder(ctx context.Context, r kis.OrderRequest) (kis.OrderAck, error)
	CancelOrder(ctx context.Context, r kis.ReviseRequest) (kis.OrderAck, error)
	DailyOrders(ctx context.Context, q kis.DailyQuery) ([]kis.OrderRecord, error)
	Balance(ctx context.Context) (kis.Balance, error)
}

var (
	_ Client        = (*kis.Client)(nil)
	_ Books         = (*engine.Engine)(nil)
	_ engine.Broker = (*broker)(nil)
)

// Books is where fills and refusals go: *engine.Engine. Its methods are
// called only from the functions Work hands out, on the engine's goroutine.
type Books interface {
	BrokerFill(strategy string, f market.Fill) error
	BrokerUpdate(strategy string, id int64, status market.OrderStatus, reason string) error
}

// Config configures an Account.
type Config struct {
	Client Client
	Fees   krx.Tariff // the broker's commission and the taxes of each fill's date and market
	// Reconcile is how often the daily orders are compared with the fills
	// booked; default 30 s.
	Reconcile time.Duration
	// Recheck is how long after a ReconcileSoon a second look books the
	// shortfall the first one saw; default 2 s.
	Recheck time.Duration
	// CancelTimeout bounds a cancel request (Cancel waits for KIS's
	// answer); default 10 s.
	CancelTimeout time.Duration
	Log           zerolog.Logger
	Now           func() time.Time // default time.Now
}

// Account is one KIS account shared by a run's strategies.
type Account struct {
	cfg   Config
	queue chan *order
	work  chan func(Books)
	nudge chan struct{} // reconcile now
	stop  chan struct{}
	once  sync.Once

	mu      sync.Mutex
	orders  map[int64]*order        // by engine order ID
	byNo    map[string]*order       // by normalised KIS order number
	early   map[string][]kis.Notice // notices that came before their order's ack
	foreign map[string]bool         // orders placed before this run
	lost    []*order                // responses lost: to be found in the daily orders
	books   books                   // the balance this run expects at KIS
}

// New returns an Account; start its worker with Run.
func New(cfg Config) (*Account, error) {
	if cfg.Client == nil {
		return nil, errors.New("kisbroker: no client")
	}
	if err := cfg.Fees.Validate(); err != nil {
		return nil, fmt.Errorf("kisbroker: %w", err)
	}
	if cfg.Reconcile <= 0 {
		cfg.Reconcile = 30 * time.Second
	}
	if cfg.Recheck <= 0 {
		cfg.Recheck = 2 * time.Second
	}
	if cfg.CancelTimeout <= 0 {
		cfg.CancelTimeout = 10 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Account{
		cfg: cfg, queue: make(chan *order, 1024), work: make(chan func(Books), 1024), stop: make(chan struct{}), nudge: make(chan struct{}, 1),
		orders: make(map[int64]*order), byNo: make(map[string]*order),
		early: make(map[string][]kis.Notice), foreign: make(map[string]bool),
	}, nil
}

// Work delivers what must happen in the engine: run each function on the
// engine's goroutine with the engine.
func (a *Account) Work() <-chan func(Books) { return a.work }

// Run places queued orders and reconciles on a timer until ctx ends. It
// returns nil then. Orders still queued stay unsent; the engine's Stop
// cancels them (Cancel withdraws a queued order without asking KIS).
func (a *Account) Run(ctx context.Context) error {
	defer a.close()
	t := time.NewTicker(a.cfg.Reconcile)
	defer t.Stop()
	var recheck <-chan time.Time // nil: none due
	for {
		select {
		case <-ctx.Done():
			return nil
		case o := <-a.queue:
			a.place(ctx, o)
		case <-t.C:
			a.reconcile(ctx)
		case <-a.nudge:
			a.reconcile(ctx)
			recheck = time.After(a.cfg.Recheck)
		case <-recheck:
			recheck = nil
			// The fills the gap hid are booked now: what still differs
			// was not done by this run.
			if recs, err := a.reconcileOrders(ctx); err != nil {
				a.logReconcile(ctx, err)
			} else if err := a.checkAfterGap(ctx, recs); err != nil && ctx.Err() == nil {
				a.cfg.Log.Warn().Err(err).Msg("kis account not checked after the gap")
			}
		}
	}
}

// ReconcileSoon asks Run to reconcile now and again after Recheck, rather
// than at the next ticks of its timer, and to check the account
// (checkAfterGap): after the feed's gap, when notices may have been missed
// and the account may have changed.
func (a *Account) ReconcileSoon() {
	select {
	case a.nudge <- struct{}{}:
	default: // one is already due
	}
}

func (a *Account) reconcile(ctx context.Context) { a.logReconcile(ctx, a.Reconcile(ctx)) }

func (a *Account) logReconcile(ctx context.Context, err error) {
	if err != nil && ctx.Err() == nil {
		a.cfg.Log.Warn().Err(err).Msg("kis reconcile failed; will try again")
	}
}

// close ends deliveries: a function no longer sent is dropped.
func (a *Account) close() { a.once.Do(func() { close(a.stop) }) }

// schedule hands f to the engine's goroutine.
func (a *Account) schedule(f func(Books)) {
	select {
	case a.work <- f:
	case <-a.stop:
	}
}

// today is the KST trading day of the clock.
func (a *Account) today() time.Time { return a.cfg.Now().In(market.Seoul) }
