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
// and SaveStrategyState replace the stored row.
type Durable interface {
	SaveOrder(ctx context.Context, o market.Order) error
	SaveFill(ctx context.Context, f market.Fill) error
	SavePosition(ctx context.Context, account string, p market.Position) error
	SaveStrategyState(ctx context.Context, strategy string, state []byte) error
}

// ErrNoDurable is returned by the durable methods when Config.Durable is nil.
var ErrNoDurable = errors.New("recorder: no durable store configured")

// SaveOrder stores o before the host sends it to a broker, and after every
// state change. Like every durable method it retries with backoff until the
// store commits or ctx ends (give it a deadline); an invalid order fails at once.
func (r *Recorder) SaveOrder(ctx context.Context, o market.Order) error {
	if done, err := r.refuseOrder(&o); done {
		return err
	}
	return r.durably(ctx, "save order", func(ctx context.Context, d Durable) error { return d.SaveOrder(ctx, o) })
}

// SaveFill stores a fill before the host applies it.
func (r *Recorder) SaveFill(ctx context.Context, f market.Fill) error {
	return r.durably(ctx, "save fill", func(ctx context.Context, d Durable) error { return d.SaveFill(ctx, f) })
}

// SavePosition stores the account's position after a fill changed it.
func (r *Recorder) SavePosition(ctx context.Context, account string, p market.Position) error {
	return r.durably(ctx, "save position", func(ctx context.Context, d Durable) error { return d.SavePosition(ctx, account, p) })
}

// SaveStrategyState stores the JSON a strategy handed over on stop or reload.
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
