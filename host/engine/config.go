package engine

import (
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/paper"
	"github.com/qbtrading/qb/host/risk"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// Defaults used when a Config field is left zero.
const (
	DefaultCash = paper.DefaultCash // won, each strategy's starting cash
	// maxCascade bounds the on_order calls one event may cause, so a
	// script that answers every rejection with a new order cannot spin.
	maxCascade = 64
)

// DefaultHistory is the most closed bars kept per symbol and timeframe:
// 100,000 is 400 years of daily bars or a year of minute bars, at most
// about 9 MB a series (88 bytes a bar; a series holds only the bars it has
// closed). Indicators are exact over every bar of a series until it first
// drops one (see the package doc).
const DefaultHistory = 100_000

// Config is what an Engine runs.
type Config struct {
	Strategies []Spec
	Cash       int64        // starting cash of each strategy's account; DefaultCash when 0
	Limits     *risk.Limits // nil: risk.DefaultLimits()
	// Fees prices paper fills by their date and market; nil is
	// krx.DefaultTariff with the built-in listing (krx.DefaultStocks). A
	// Tariff without a Listing gets the built-in one too; a symbol not
	// listed is taxed as KOSPI and logged once (WarnUnknownMarket).
	Fees *krx.Tariff
	// NewBroker returns the broker of one strategy's account. Nil gives each
	// strategy a paper broker with Fees and no slippage.
	NewBroker func(strategy string) (Broker, error)
	History   int // most closed bars kept per symbol and timeframe; DefaultHistory when 0
	Log       zerolog.Logger
	Sink      Sink // optional: receives bars, orders and fills
	// Journal, when set, stores orders, fills and positions durably
	// before the engine acts on them (see Journal).
	Journal Journal
	// Checkpoint, when set, receives each strategy's checkpoint: what its
	// script last passed to ctx.save (or, at a reload or removal, what
	// on_stop returned). It is called on the engine's goroutine, at most
	// once per strategy per hook call, at once after a fill and otherwise
	// at most every CheckpointEvery of engine time, and must not block:
	// keep the latest per strategy and write it elsewhere. st is not
	// changed afterwards.
	Checkpoint      func(strategy string, st script.State)
	CheckpointEvery time.Duration // DefaultCheckpointEvery when 0
	// LastOrderID is the highest order ID an earlier run used; new IDs
	// continue above it (and above every restored order's). Each
	// strategy's own order numbers continue from Restore.LastSeq.
	LastOrderID int64
}

// Spec is one strategy to run: a compiled Lua program, or a strategy
// written in Go (New; used for baselines and tests).
type Spec struct {
	Program *script.Program
	Options script.Options
	New     func(h script.Host) (Strategy, error)
	File    string       // shown in results; Program.File when empty
	State   script.State // handed to on_start: what on_stop returned last time
	Restore *Restore     // the account from an earlier run; nil starts at Config.Cash
}

// Strategy is what the engine drives. *script.Strategy is one.
type Strategy interface {
	Meta() script.Meta
	Wants(h script.Hook) bool
	Start(st script.State) error
	Tick(t *market.Tick) error
	Bar(b *market.Bar) error
	Fill(f *market.Fill) error
	Order(o *market.Order) error
	Stop() (script.State, error)
	Status() script.Status
	Close()
}

var (
	_ Strategy     = (*script.Strategy)(nil)
	_ MarketBroker = (*paper.Broker)(nil)
)

// Broker takes one strategy account's orders to a venue. Submit returns an
// error when the venue refuses the order; Cancel when the order is not
// working there any more.
type Broker interface {
	Submit(o market.Order) error
	Cancel(id int64) error
}

// MarketBroker is a Broker that fills from market data, like the paper
// broker: OnTick appends the fills the tick causes to dst.
type MarketBroker interface {
	Broker
	OnTick(t *market.Tick, dst []market.Fill) []market.Fill
}

// Sink receives the engine's bars, order updates and fills, for a
// recorder or a bus. It is not called per tick.
type Sink interface {
	// Publish is called from the engine's goroutine; ev is valid only
	// during the call.
	Publish(ev *Event)
}

// EventKind says which field of an Event is set.
type EventKind uint8

// The event kinds.
const (
	EventBar   EventKind = iota + 1 // a bar closed
	EventOrder                      // an order changed status
	EventFill                       // an order (partly) filled
)

// Event is one thing that happened in the engine.
type Event struct {
	Kind     EventKind
	Strategy string // order and fill events
	Bar      market.Bar
	Order    market.Order
	Fill     market.Fill
}

func (c *Config) withDefaults() (Config, error) {
	out := *c
	if out.Cash == 0 {
		out.Cash = DefaultCash
	}
	if out.Cash < 0 {
		return out, fmt.Errorf("engine config: cash %d is negative", out.Cash)
	}
	if out.LastOrderID < 0 {
		return out, fmt.Errorf("engine config: last order ID %d is negative", out.LastOrderID)
	}
	if out.CheckpointEvery <= 0 {
		out.CheckpointEvery = DefaultCheckpointEvery
	}
	if out.History == 0 {
		out.History = DefaultHistory
	}
	if out.History < 0 {
		return out, fmt.Errorf("engine config: history %d is negative", out.History)
	}
	if out.Limits == nil {
		l := risk.DefaultLimits()
		out.Limits = &l
	}
	fees := krx.DefaultTariff()
	if out.Fees != nil {
		fees = *out.Fees
	}
	if fees.Listing == nil {
		fees.Listing = krx.NewListing(krx.DefaultStocks(), WarnUnknownMarket(out.Log))
	}
	out.Fees = &fees
	if err := out.Fees.Validate(); err != nil {
		return out, fmt.Errorf("engine config: %w", err)
	}
	return out, nil
}

// WarnUnknownMarket returns the report a krx.Listing makes, once per
// symbol, of a symbol whose market it does not know: a warning that its
// sales are taxed as KOSPI's, with the way to list it.
func WarnUnknownMarket(log zerolog.Logger) func(market.Symbol) {
	return func(sym market.Symbol) {
		log.Warn().Str("symbol", string(sym)).Msg("market of symbol unknown: its sales are taxed as on KOSPI; " +
			"list it with qb import --metadata FILE, or --metadata FILE")
	}
}
