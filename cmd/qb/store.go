package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/live"
	"github.com/qbtrading/qb/host/record"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

// storeNone is the --store value that keeps no database (state in files).
const storeNone = "none"

// storeTarget resolves --store: empty means the SQLite file in the data
// directory.
func storeTarget(store, dataDir string) string {
	if store == "" {
		return filepath.Join(dataDir, "qb.db")
	}
	return store
}

// isPostgres reports whether target names a PostgreSQL server.
func isPostgres(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

// redact hides a URL's password, for logs and reports.
func redact(target string) string {
	if !isPostgres(target) {
		return target
	}
	u, err := url.Parse(target)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	return u.Redacted()
}

// openStore opens the store --store names, applying migrations, and says
// once which engine it runs on.
func openStore(ctx context.Context, target string, log zerolog.Logger) (sqldb.Store, error) {
	if !isPostgres(target) {
		if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	st, err := sqldb.Open(ctx, target, sqldb.Options{})
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", redact(target), err)
	}
	ev := log.Info().Str("store", redact(target)).Str("mode", string(st.Mode()))
	if st.Mode() == sqldb.ModePostgres {
		ev = ev.Str("note", "TimescaleDB is not installed: plain PostgreSQL tables, retention by qb's own delete")
	}
	ev.Msg("store opened")
	return st, nil
}

// recStore gives a Store the recorder's WriteEvents, into system_logs.
type recStore struct{ sqldb.Store }

func (s recStore) WriteEvents(ctx context.Context, events []record.Event) error {
	out := make([]sqldb.Event, len(events))
	for i, e := range events {
		out[i] = sqldb.Event{Time: e.Time, Component: e.Component, Level: e.Level, Message: e.Message, Details: e.Details}
	}
	return s.LogEvents(ctx, out)
}

// stateTimeout bounds one write of a strategy's state to the store.
const stateTimeout = 10 * time.Second

// journal is the engine's Journal on the recorder's journal: each call is
// an fsync'd append to a local file, and the store is brought up to date in
// the background, so a store that is slow or down never holds up the engine.
type journal struct{ rec *record.Recorder }

var _ engine.Journal = journal{}

func (j journal) SaveOrder(o market.Order) error {
	return j.rec.SaveOrder(context.Background(), o) // a local append: nothing to time out
}

func (j journal) SaveFill(f market.Fill) error {
	return j.rec.SaveFill(context.Background(), f)
}

func (j journal) SavePosition(strategy string, p market.Position) error {
	return j.rec.SavePosition(context.Background(), strategy, p)
}

// recordSink logs fills and rejections (live.LogSink), records closed
// bars, and puts each rejected order in system_logs with its reason.
// Orders and fills reach their tables through the journal instead.
type recordSink struct {
	log live.LogSink
	rec *record.Recorder
}

func (s recordSink) Publish(ev *engine.Event) {
	s.log.Publish(ev)
	switch {
	case ev.Kind == engine.EventBar:
		s.rec.Bar(&ev.Bar)
	case ev.Kind == engine.EventOrder && ev.Order.Status == market.OrderRejected:
		s.rec.Event(rejection(&ev.Order))
	}
}

// rejection is a rejected order as a system_logs event.
func rejection(o *market.Order) record.Event {
	details, _ := json.Marshal(struct { // plain fields: cannot fail
		Strategy string `json:"strategy"`
		Order    int64  `json:"order_id"`
		Symbol   string `json:"symbol"`
		Side     string `json:"side"`
		Qty      int64  `json:"qty"`
		Price    int64  `json:"price"`
		Reason   string `json:"reason"`
	}{o.Strategy, o.ID, string(o.Symbol), o.Side.String(), o.Qty, o.Price, o.Reason})
	at := o.Updated
	if at.IsZero() {
		at = o.Created
	}
	return record.Event{Time: at, Component: "engine", Level: "warn", Message: "order rejected", Details: details}
}

// storeStates keeps strategy state in the store's strategy_state table,
// with its checkpoint version: {"qb_state_version": V, "state": ...}. A
// row written before versions (the plain state) is version 0.
type storeStates struct{ st sqldb.Store }

// versionedRow is a strategy_state row with a checkpoint version.
type versionedRow struct {
	Version *int64          `json:"qb_state_version"`
	State   json.RawMessage `json:"state"`
}

func (s storeStates) LoadVersion(ctx context.Context, name string) (script.State, int64, bool, error) {
	raw, ok, err := s.st.LoadStrategyState(ctx, name)
	if err != nil || !ok {
		return nil, 0, false, err
	}
	st, v, err := decodeStateRow(raw)
	if err != nil {
		return nil, 0, false, fmt.Errorf("load state of %s: %w", name, err)
	}
	return st, v, true, nil
}

// decodeStateRow reads a strategy_state row: versioned, or a plain state.
func decodeStateRow(raw []byte) (script.State, int64, error) {
	var row versionedRow
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	v := int64(0)
	if dec.Decode(&row) == nil && row.Version != nil && row.State != nil && !dec.More() {
		raw, v = row.State, *row.Version
	}
	var st any
	if err := json.Unmarshal(raw, &st); err != nil {
		return nil, 0, err
	}
	return st, v, nil
}

// SaveVersion writes the state with its version. The recorder retries
// until ctx ends.
func (s storeStates) SaveVersion(ctx context.Context, name string, st script.State, version int64) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("save state of %s: %w", name, err)
	}
	row, err := json.Marshal(versionedRow{Version: &version, State: raw})
	if err != nil {
		return fmt.Errorf("save state of %s: %w", name, err)
	}
	// One attempt: the statefile.Writer lane this runs in retries with
	// backoff and keeps only the newest state.
	return s.st.SaveStrategyState(ctx, name, row)
}
