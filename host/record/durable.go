package record

import (
	"context"
	"errors"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/lib/market"
)

// Durable stores the state the host must never forget. Each call returns only
// once the row is committed; SaveFill must be idempotent, SaveOrder, SavePosition
// and SaveStrategyState replace the stored row. Orders, fills and positions
// reach it from the journal (SaveOrder), in the order they were journaled,
// and may be written more than once.
type Durable interface {
	SaveOrder(ctx context.Context, o market.Order) error
	SaveFill(ctx context.Context, f market.Fill) error
	SavePosition(ctx context.Context, account string, p market.Position) error
	SaveStrategyState(ctx context.Context, strategy string, state []byte) error
}

// ErrNoDurable is returned by the durable methods when Config.Durable is nil.
var ErrNoDurable = errors.New("recorder: no durable store configured")

// SaveOrder journals o before the host sends it to a broker, and after every
// state change: it appends o to the journal file in Config.Dir and fsyncs it,
// and returns. It never waits for the store, which the background feeder
// brings up to date, retrying while it is down (ctx is not waited on). An
// invalid order fails at once (a *market.FieldError); so does a journal file
// that cannot be written, and then the host must not act on o.
func (r *Recorder) SaveOrder(ctx context.Context, o market.Order) error {
	if done, err := r.refuseOrder(&o); done {
		return err
	}
	if err := o.Validate(); err != nil {
		return fmt.Errorf("save order: %w", err)
	}
	return r.journalEntry(entry{Order: &o})
}

// SaveFill journals a fill before the host applies it, as SaveOrder does.
func (r *Recorder) SaveFill(ctx context.Context, f market.Fill) error {
	if err := f.Validate(); err != nil {
		return fmt.Errorf("save fill (order %d): %w", f.OrderID, err)
	}
	return r.journalEntry(entry{Fill: &f})
}

// SavePosition journals the account's position after a fill changed it, as
// SaveOrder does.
func (r *Recorder) SavePosition(ctx context.Context, account string, p market.Position) error {
	switch {
	case account == "":
		return fmt.Errorf("save position: %w", &market.FieldError{Type: "position", Field: "account", Msg: "empty"})
	case p.Symbol.Validate() != nil:
		return fmt.Errorf("save position: %w", p.Symbol.Validate())
	case p.Qty < 0:
		return fmt.Errorf("save position: %w", &market.FieldError{Type: "position", Field: "qty", Msg: fmt.Sprintf("%d is negative", p.Qty)})
	}
	return r.journalEntry(entry{Position: &p, Account: account})
}

func (r *Recorder) journalEntry(e entry) error {
	if r.journal == nil {
		return ErrNoDurable
	}
	err := r.journal.append(e)
	if r.noteFull(err) {
		return fmt.Errorf("%w: %w", ErrStorageFull, err) // no room for the journal: trading halts
	}
	return err
}

// SaveStrategyState stores the JSON a strategy handed over on stop or reload.
// Unlike SaveOrder it waits for the store: it retries with backoff until the
// store commits or ctx ends (give it a deadline).
func (r *Recorder) SaveStrategyState(ctx context.Context, strategy string, state []byte) error {
	return r.durably(ctx, "save strategy state", func(ctx context.Context, d Durable) error {
		return d.SaveStrategyState(ctx, strategy, state)
	})
}

func (r *Recorder) durably(ctx context.Context, op string, call func(context.Context, Durable) error) error {
	if r.cfg.Durable == nil {
		return ErrNoDurable
	}
	backoff := r.cfg.MinBackoff
	for attempt := 1; ; attempt++ {
		err := call(ctx, r.cfg.Durable)
		if err == nil {
			return nil
		}
		var fe *market.FieldError
		if errors.As(err, &fe) {
			return fmt.Errorf("%s: %w", op, err) // bad input: retrying cannot help
		}
		if r.noteFull(err) {
			return fmt.Errorf("%s: %w: %w", op, ErrStorageFull, err) // no room: retrying would block the engine for nothing
		}
		if ctx.Err() != nil || r.stopping() {
			return fmt.Errorf("%s: gave up after %d attempts: %w", op, attempt, err)
		}
		r.logDurable.event(zerolog.WarnLevel).Err(err).Str("op", op).Int("attempt", attempt).Msg("recorder: durable write failed")
		if r.sleep(ctx, backoff) != nil {
			return fmt.Errorf("%s: gave up after %d attempts: %w", op, attempt, err)
		}
		backoff = min(2*backoff, r.cfg.MaxBackoff)
	}
}

// closeJournal closes the journal once the feeder has stopped; entries the
// store does not hold stay in their files for the next start.
func (r *Recorder) closeJournal(ctx context.Context) error {
	if r.journal == nil {
		return nil
	}
	r.journal.close()
	if n := r.journal.pending(); n > 0 {
		cause := ctx.Err()
		if cause == nil {
			cause = context.Canceled
		}
		return fmt.Errorf("close recorder: store not reached, %d journal entries (orders, fills, positions) left in %s for the next start: %w",
			n, r.cfg.Dir, cause)
	}
	return nil
}
