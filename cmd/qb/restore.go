package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

// allTime spans every stored row.
var allTime = [2]time.Time{time.Unix(0, 0), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}

// restored is what the store gave back for the whole run.
type restored struct {
	lastID int64     // highest order ID stored
	latest time.Time // the last tick, fill or order time stored; zero when none
}

// restoreAccounts gives each spec its account from the store. The fills,
// written first of all, are the truth: cash is startCash plus every fill's
// cash, positions are the fills replayed (the positions table is checked
// against them and a difference logged), and a working order's filled
// quantity is what its fills add up to.
func restoreAccounts(ctx context.Context, st sqldb.Store, specs []engine.Spec, names []string, startCash int64, log zerolog.Logger) (restored, error) {
	var out restored
	lastID, err := st.MaxOrderID(ctx)
	if err != nil {
		return out, fmt.Errorf("run: restore: %w", err)
	}
	out.lastID = lastID
	if out.latest, err = lastTick(ctx, st); err != nil {
		return out, fmt.Errorf("run: restore: %w", err)
	}
	open, err := st.OpenOrders(ctx)
	if err != nil {
		return out, fmt.Errorf("run: restore: %w", err)
	}
	seqs, err := st.MaxOrderSeqs(ctx)
	if err != nil {
		return out, fmt.Errorf("run: restore: %w", err)
	}
	for i := range specs {
		r, latest, err := restoreAccount(ctx, st, names[i], startCash, open, log)
		if err != nil {
			return out, fmt.Errorf("run: restore %s: %w", names[i], err)
		}
		if seq := seqs[names[i]]; seq > 0 {
			// Number on after the strategy's last order, even one that
			// left no fill and is no longer working.
			if r == nil {
				r = &engine.Restore{Cash: startCash}
			}
			r.LastSeq = seq
		}
		specs[i].Restore = r
		if latest.After(out.latest) {
			out.latest = latest
		}
	}
	return out, nil
}

func restoreAccount(ctx context.Context, st sqldb.Store, name string, startCash int64, open []market.Order, log zerolog.Logger) (*engine.Restore, time.Time, error) {
	fills, err := st.Fills(ctx, name, allTime[0], allTime[1])
	if err != nil {
		return nil, time.Time{}, err
	}
	var latest time.Time
	r := &engine.Restore{Cash: startCash}
	pos := map[market.Symbol]*market.Position{}
	var syms []market.Symbol
	filled := map[int64]int64{}
	for i := range fills {
		f := &fills[i]
		r.Cash += f.CashDelta()
		filled[f.OrderID] += f.Qty
		p := pos[f.Symbol]
		if p == nil {
			p = &market.Position{Symbol: f.Symbol}
			pos[f.Symbol], syms = p, append(syms, f.Symbol)
		}
		if err := p.Apply(f); err != nil {
			return nil, latest, fmt.Errorf("replay fill of order %d: %w", f.OrderID, err)
		}
		latest = later(latest, f.Time)
	}
	for _, s := range syms {
		r.Positions = append(r.Positions, *pos[s])
	}
	if err := checkPositions(ctx, st, name, pos, log); err != nil {
		return nil, latest, err
	}
	for _, o := range open {
		if o.Strategy != name {
			continue
		}
		latest = later(later(latest, o.Created), o.Updated)
		if o, ok := reconcile(ctx, st, o, filled[o.ID], log); ok {
			r.Open = append(r.Open, o)
		}
	}
	if len(fills) == 0 && len(r.Open) == 0 {
		return nil, latest, nil
	}
	logRestore(log, name, r)
	return r, latest, nil
}

// reconcile brings a stored working order up to its fills; ok is false
// when they show it done (the host stopped before it stored the update).
func reconcile(ctx context.Context, st sqldb.Store, o market.Order, filled int64, log zerolog.Logger) (market.Order, bool) {
	if o.Status == market.OrderNew {
		_ = o.Accept(o.Created) // stored before it reached the broker
	}
	if missing := filled - o.FilledQty; missing > 0 {
		if err := o.ApplyFill(o.Updated, min(missing, o.Remaining())); err != nil {
			log.Warn().Err(err).Int64("order", o.ID).Msg("restore: order and fills disagree")
		}
		if err := st.SaveOrder(ctx, o); err != nil {
			log.Warn().Err(err).Int64("order", o.ID).Msg("restore: order update not stored")
		}
	}
	return o, o.Status.Open()
}

// checkPositions compares the positions table with the fills.
func checkPositions(ctx context.Context, st sqldb.Store, name string, fromFills map[market.Symbol]*market.Position, log zerolog.Logger) error {
	stored, err := st.Positions(ctx, name)
	if err != nil {
		return err
	}
	seen := 0
	for _, p := range stored {
		f := fromFills[p.Symbol]
		if f != nil {
			seen++
		}
		if f == nil || *f != p {
			log.Warn().Str("strategy", name).Str("symbol", string(p.Symbol)).Interface("stored", p).
				Interface("from_fills", f).Msg("restore: stored position differs from the fills; the fills win")
		}
	}
	if seen != len(fromFills) {
		log.Warn().Str("strategy", name).Int("stored", len(stored)).Int("from_fills", len(fromFills)).
			Msg("restore: positions missing from the positions table; the fills win")
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// restoredOrder is an order as the restore log line shows it.
type restoredOrder struct {
	ID     int64  `json:"id"`
	Seq    int64  `json:"seq"` // the id the strategy knows it by
	Symbol string `json:"symbol"`
	Side   string `json:"side"`
	Qty    int64  `json:"qty"`
	Price  int64  `json:"price"`
	Filled int64  `json:"filled"`
}

func logRestore(log zerolog.Logger, name string, r *engine.Restore) {
	orders := make([]restoredOrder, 0, len(r.Open))
	for _, o := range r.Open {
		orders = append(orders, restoredOrder{o.ID, o.Seq, string(o.Symbol), o.Side.String(), o.Qty, o.Price, o.FilledQty})
	}
	log.Info().Str("strategy", name).Int64("cash", r.Cash).Interface("positions", r.Positions).
		Interface("open_orders", orders).Msg("account restored")
}

// lastTick is the time of the newest stored tick (zero when none): a
// simulated market resumes after it, so a restart never simulates a
// second, different, tape over times already recorded.
func lastTick(ctx context.Context, st sqldb.Store) (time.Time, error) {
	const q = `SELECT max(time) FROM ticks`
	switch s := st.(type) {
	case *sqldb.Postgres:
		var t *time.Time
		if err := s.Pool().QueryRow(ctx, q).Scan(&t); err != nil || t == nil {
			return time.Time{}, err
		}
		return *t, nil
	case *sqldb.SQLite:
		var us sql.NullInt64 // sqldb stores SQLite times as unix microseconds
		if err := s.DB().QueryRowContext(ctx, q).Scan(&us); err != nil || !us.Valid {
			return time.Time{}, err
		}
		return time.UnixMicro(us.Int64), nil
	}
	return time.Time{}, nil
}
