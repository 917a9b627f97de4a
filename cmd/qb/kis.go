package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/kisbroker"
	"github.com/qbtrading/qb/host/kisfeed"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/market"
)

// brokerNames are the values --broker takes.
func brokerNames() []string { return []string{"paper", "kis-paper", "kis"} }

// kisSession is the run's one KIS client and WebSocket session, shared by
// the feed (--feed kis) and the broker (--broker kis-paper or kis): KIS
// allows one session per app key, and the token and rate limit are the
// key's. A nil *kisSession is a run that does not use KIS.
type kisSession struct {
	client *kis.Client
	feed   *kis.Feed
	ticks  *kisfeed.Ticks
	acct   *kisbroker.Account // nil with --broker paper
	log    zerolog.Logger
	trades bool       // --feed kis: qb run reads the ticks (and the feed's end)
	done   chan error // the feed's end

	mu   sync.Mutex
	subs map[market.Symbol]bool // trades registered
}

// openKIS builds the session from the environment when --feed or --broker
// names KIS. Nothing is sent before work starts it, except the balance
// and today's orders that restore reads.
func openKIS(ctx context.Context, m *Main, rf runFlags, log zerolog.Logger) (*kisSession, error) {
	useFeed, useBroker := rf.feed == "kis", rf.broker == "kis" || rf.broker == "kis-paper"
	if rf.live && rf.broker != "kis" {
		return nil, &exitError{code: 2, msg: "run: --live is for --broker kis (real money) only"}
	}
	if !useFeed && !useBroker {
		return nil, nil
	}
	if useBroker && !useFeed {
		// The simulator's warm-up alone would send thousands of orders,
		// decided on made-up prices, to a KIS account.
		return nil, &exitError{code: 2, msg: fmt.Sprintf("run: --broker %s trades at KIS's prices: use it with --feed kis", rf.broker)}
	}
	cfg, err := kis.ConfigFromEnv(m.Getenv)
	if err != nil {
		return nil, &exitError{code: 2, msg: "run: " + err.Error()}
	}
	if err := checkEnv(rf, cfg.Env); err != nil {
		return nil, err
	}
	if cfg.TokenCache == "" {
		// KIS issues a token a minute at most and notifies the account
		// holder of each: keep it for the next run.
		if err := os.MkdirAll(rf.dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("run: %w", err)
		}
		cfg.TokenCache = filepath.Join(rf.dataDir, "kis-token.json")
	}
	log = log.With().Str("venue", "kis").Str("env", cfg.Env.String()).Logger()
	cfg.Logger = slog.New(zerolog.NewSlogHandler(log))
	k := &kisSession{log: log, ticks: kisfeed.New(4096, log), done: make(chan error, 1), subs: map[market.Symbol]bool{}}
	if k.client, err = kis.New(cfg); err != nil {
		return nil, &exitError{code: 2, msg: "run: " + err.Error()}
	}
	h := kis.Handler{Gap: k.ticks.Gap, Error: k.ticks.Error}
	if useFeed {
		h.Trade, k.trades = k.ticks.Trade, true
	}
	if useBroker {
		acct, err := kisbroker.New(kisbroker.Config{Client: k.client, Fees: *rf.fees, Log: log})
		if err != nil {
			return nil, err
		}
		k.acct, h.Notice = acct, acct.Notice
		h.Gap = func(g kis.Gap) {
			k.ticks.Gap(g)
			acct.ReconcileSoon() // notices sent during the gap are lost
		}
	}
	k.feed = k.client.NewFeed(h, kis.FeedOptions{})
	if useBroker {
		if err := k.feed.SubscribeNotices(ctx); err != nil {
			return nil, fmt.Errorf("run: %w", err)
		}
	}
	if rf.broker == "kis" {
		warnRealMoney(m, log, cfg)
	}
	return k, nil
}

// checkEnv matches --broker with KIS_ENV: real money needs both saying so.
func checkEnv(rf runFlags, env kis.Env) error {
	switch {
	case rf.broker == "kis" && env != kis.Real:
		return &exitError{code: 2, msg: "run: --broker kis trades real money and needs KIS_ENV=real; for the paper account use --broker kis-paper"}
	case rf.broker == "kis-paper" && env != kis.Paper:
		return &exitError{code: 2, msg: "run: --broker kis-paper needs KIS_ENV=paper (KIS_ENV is real); real money takes --broker kis --live"}
	}
	return nil
}

// warnRealMoney says loudly that orders go to a real account.
func warnRealMoney(m *Main, log zerolog.Logger, cfg kis.Config) {
	const bar = "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
	fmt.Fprintf(m.Stderr, "%s\n!!  LIVE TRADING WITH REAL MONEY: orders go to KIS account %s\n%s\n", bar, cfg.Account, bar)
	log.Warn().Str("account", cfg.Account.String()).Msg("LIVE TRADING WITH REAL MONEY: strategies' orders go to the real KIS account")
}

// restore starts each strategy's account from the KIS balance (see
// kisbroker.Account.Sync): the broker's books are the truth, so they
// replace an account restored from the store.
func (k *kisSession) restore(ctx context.Context, specs []engine.Spec, metas []script.Meta) error {
	if k == nil || k.acct == nil {
		return nil
	}
	strats := make([]kisbroker.Strategy, len(metas))
	for i, m := range metas {
		strats[i] = kisbroker.Strategy{Name: m.Name, Symbols: m.Symbols}
	}
	shares, err := k.acct.Sync(ctx, strats)
	if err != nil {
		return fmt.Errorf("run: %w", explain(err))
	}
	for i := range specs {
		if specs[i].Restore != nil {
			k.log.Info().Str("strategy", metas[i].Name).Msg("account taken from the kis balance, not the store")
		}
		specs[i].Restore = &engine.Restore{Cash: shares[i].Cash, Positions: shares[i].Positions}
	}
	return nil
}

// newBroker is engine.Config.NewBroker: nil (paper) unless --broker kis*.
func (k *kisSession) newBroker() func(string) (engine.Broker, error) {
	if k == nil || k.acct == nil {
		return nil
	}
	return func(name string) (engine.Broker, error) { return k.acct.Broker(name), nil }
}

// work starts the session (the WebSocket, the order worker) and returns
// the engine's work channel: do (hot reloads) merged with the broker's
// fills and refusals, run on the engine's goroutine.
func (k *kisSession) work(ctx context.Context, eng *engine.Engine, do <-chan func()) <-chan func() {
	if k == nil {
		return do
	}
	go func() {
		err := k.feed.Run(ctx)
		if !k.trades && err != nil && ctx.Err() == nil {
			// No tick reader returns it: say what it costs.
			k.log.Error().Err(feedError(err)).Msg("kis notices stopped; fills now come from the daily orders only")
		}
		k.done <- err
	}()
	var fills <-chan func(kisbroker.Books) // nil: a case that never fires
	if k.acct != nil {
		go func() { _ = k.acct.Run(ctx) }()
		fills = k.acct.Work()
	}
	if fills == nil && (!k.trades || do == nil) {
		return do
	}
	out := make(chan func())
	go func() {
		for {
			var f func()
			select {
			case f = <-do:
				if k.trades { // a reload may bring new symbols
					reload := f
					f = func() { reload(); k.follow(ctx, eng.Symbols()) }
				}
			case g := <-fills:
				f = func() { g(eng) }
			case <-ctx.Done():
				return
			}
			select {
			case out <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// close releases a Trade handler waiting for room.
func (k *kisSession) close() {
	if k != nil {
		k.ticks.Close()
	}
}

// subscribe registers trades of every symbol the strategies trade and
// returns the feed qb run reads.
func (k *kisSession) subscribe(ctx context.Context, metas []script.Meta) (feed, error) {
	var syms []market.Symbol
	for _, m := range metas {
		syms = append(syms, m.Symbols...)
	}
	if err := k.subscribeNew(ctx, syms); err != nil {
		return nil, fmt.Errorf("run: kis feed: %w", err)
	}
	return &kisFeed{k: k}, nil
}

// subscribeNew registers trades of the symbols not registered yet.
// Symbols no longer traded stay registered: a reload may bring them back.
func (k *kisSession) subscribeNew(ctx context.Context, syms []market.Symbol) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for _, s := range syms {
		if k.subs[s] {
			continue
		}
		if err := k.feed.Subscribe(ctx, kis.TRTrade, string(s)); err != nil {
			return err
		}
		k.subs[s] = true
		n++
	}
	if n > 0 {
		k.log.Info().Int("new", n).Int("symbols", len(k.subs)).Msg("kis trades subscribed")
	}
	return nil
}

// follow subscribes, off the engine's goroutine, the symbols a hot reload
// added.
func (k *kisSession) follow(ctx context.Context, syms []market.Symbol) {
	go func() {
		if err := k.subscribeNew(ctx, syms); err != nil {
			k.log.Error().Err(err).Msg("kis feed: a reloaded strategy's symbols not subscribed")
		}
	}()
}

// kisFeed is KIS's real-time trades as qb run's feed.
type kisFeed struct{ k *kisSession }

// warm feeds no history: the run starts now.
func (f *kisFeed) warm(*engine.Engine) (time.Time, int) { return time.Now(), 0 }

func (f *kisFeed) clock() func() time.Time { return time.Now }

func (f *kisFeed) run(ctx context.Context, out chan<- market.Tick) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-f.k.done:
			return feedError(err)
		case t := <-f.k.ticks.C():
			select {
			case out <- t:
			case <-ctx.Done():
				return nil
			}
		}
	}
}

// feedError explains the fatal feed errors a user can act on.
func feedError(err error) error {
	switch {
	case err == nil:
		return errors.New("kis feed stopped")
	case errors.Is(err, kis.ErrAlreadyInUse):
		return fmt.Errorf("another program holds this app key's KIS WebSocket session (KIS allows one per key): stop it or use another key: %w", err)
	}
	return explain(err)
}

// explain adds what to check to the errors a user causes.
func explain(err error) error {
	if errors.Is(err, kis.ErrBadCredentials) {
		return fmt.Errorf("KIS refused the app key or secret (check %s, %s and %s): %w", kis.EnvAppKey, kis.EnvAppSecret, kis.EnvEnv, err)
	}
	return err
}
