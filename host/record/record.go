package record

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qbtrading/qb/lib/market"
	"github.com/rs/zerolog"
)

// Store receives batches of market data and events. Every method must be
// idempotent for rows already stored (ticks and bars are keyed by their
// content), and a batch is written all or nothing. An error wrapping a
// *market.FieldError says the batch holds a record that can never be stored:
// the recorder then writes the batch record by record and sets the bad ones
// aside in Dir/rejected-RUN.jsonl instead of retrying them forever.
type Store interface {
	WriteTicks(ctx context.Context, ticks []market.Tick) error
	WriteBars(ctx context.Context, bars []market.Bar) error
	WriteEvents(ctx context.Context, events []Event) error
}

// Event is a structured log event for the system log table.
type Event struct {
	Time      time.Time       `json:"time"`
	Component string          `json:"component"`
	Level     string          `json:"level"`
	Message   string          `json:"message"`
	Details   json.RawMessage `json:"details,omitempty"`
}

// Config configures a Recorder. Store and Dir are required.
type Config struct {
	Store   Store
	Durable Durable // optional: where the journal of trading state goes (see SaveOrder)
	Dir     string  // spill files live here; created if missing; one recorder per directory

	Capacity      int           // records held in memory before spilling (default 16384; twice that is allocated)
	BatchSize     int           // records per store write (default 4096)
	FlushInterval time.Duration // how often the writer sends the buffer (default 50ms); see the package doc for what kill -9 loses
	// StallAfter is how long a store write may take before the store is
	// taken for stalled: the batch in flight is then copied to a spill file
	// and the buffer spilled (default 250ms). A healthy write of a full
	// batch takes far less; copying every long bulk write would halve the
	// ingest rate.
	StallAfter time.Duration
	MinBackoff time.Duration // first retry delay after a failed write (default 50ms)
	MaxBackoff time.Duration // retry delay cap (default 5s)
	Log        zerolog.Logger

	// Stop, when closed, says the host is stopping (Ctrl-C): a failed
	// write is no longer retried, so a store that is down cannot hold up
	// the exit; what the writer has not delivered goes to a spill file at
	// Close. nil never closes.
	Stop <-chan struct{}
	// IsFull, if set, says whether a store error means the store has no
	// room (the recorder itself knows ENOSPC and EDQUOT). The first such
	// error, or one from a spill file, halts trading: see ErrStorageFull.
	IsFull func(error) bool
}

func (c *Config) defaults() error {
	if c.Store == nil {
		return errors.New("recorder: config: Store is nil")
	}
	if c.Dir == "" {
		return errors.New("recorder: config: Dir is empty")
	}
	setDefault(&c.Capacity, 16384)
	setDefault(&c.BatchSize, 4096)
	setDefault(&c.FlushInterval, 50*time.Millisecond)
	setDefault(&c.StallAfter, 250*time.Millisecond)
	setDefault(&c.MinBackoff, 50*time.Millisecond)
	setDefault(&c.MaxBackoff, 5*time.Second)
	c.BatchSize = min(c.BatchSize, c.Capacity)
	return nil
}

func setDefault[T int | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// Stats counts what went through the recorder since New.
type Stats struct {
	Recorded int64 // records accepted by Tick, Bar and Event
	Written  int64 // records the store accepted (replays included)
	Spilled  int64 // records written to spill files
	Replayed int64 // records read back from spill files
	Retries  int64 // failed store writes that were retried
	Rejected int64 // records the store refused as invalid, kept in a rejected-*.jsonl file
	Lost     int64 // records that could not be kept (spill file error, or recorded after Close)

	Journaled int64 // journal entries (orders, fills, positions) the Durable store took
}

// Recorder batches market data and events to a Store off the caller's path.
// Tick, Bar and Event may be called from any goroutine; they never wait for
// the store.
type Recorder struct {
	cfg Config

	mu       sync.Mutex
	buf      []item     // records waiting for the writer, oldest first
	seq      uint64     // sequence of the next record, names spill files
	spill    *spillFile // non-nil while records go to disk instead of buf
	pending  []string   // spill files waiting for replay, oldest first
	run      int        // this run's number in spill file names
	closing  bool
	stats    Stats
	scratch  item       // a record on its way to a spill file (under mu)
	inflight []item     // swapped out of buf, not yet written (writer changes it under wmu)
	busy     time.Time  // when the store call in progress began; zero when none
	rejected *spillFile // dead letters (writer only)
	ticks    []market.Tick
	bars     []market.Bar
	events   []Event

	journal *journal // orders, fills and positions; nil without Config.Durable

	unlock func() error // releases the spill directory

	spilledUntil time.Time // the latest tick in the spill files New found

	// wmu guards changes to inflight against the guard reading it, and
	// inflightCopy: a spill file holding a copy of inflight, made while a
	// store call took long; empty when none.
	wmu          sync.Mutex
	inflightCopy string
	full         atomic.Pointer[error] // the out-of-space error that halted trading
	fullOnce     sync.Once
	// repeated messages, logged at most once per logEvery each
	logStore, logDurable, logLost *limited

	kick   chan struct{}
	stop   chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New checks cfg, creates the spill directory and finds spill files left by an
// earlier run; they are replayed first once Start runs.
func New(cfg Config) (*Recorder, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("recorder: spill directory: %w", err)
	}
	unlock, err := lockDir(cfg.Dir)
	if err != nil {
		return nil, err
	}
	pending, run, err := scanSpills(cfg.Dir)
	if err != nil {
		_ = unlock()
		return nil, err
	}
	var jn *journal
	if cfg.Durable != nil {
		var warnings []error
		if jn, warnings, err = openJournal(cfg.Dir); err != nil {
			_ = unlock()
			return nil, err
		}
		for _, w := range warnings {
			cfg.Log.Warn().Err(w).Msg("recorder: journal")
		}
	}
	return &Recorder{
		cfg: cfg, pending: pending, run: run, unlock: unlock, spilledUntil: lastTickIn(pending, cfg.Log), journal: jn,
		buf: make([]item, 0, cfg.Capacity), inflight: make([]item, 0, cfg.Capacity),
		kick: make(chan struct{}, 1), stop: make(chan struct{}),
		logStore: newLimited(cfg.Log), logDurable: newLimited(cfg.Log), logLost: newLimited(cfg.Log),
	}, nil
}

// Start launches the background writer. Cancelling ctx stops it as Close does
// when its deadline passes.
func (r *Recorder) Start(ctx context.Context) {
	r.ctx, r.cancel = context.WithCancel(ctx)
	r.wg.Add(2)
	go func() {
		defer r.wg.Done()
		r.loop()
	}()
	go func() {
		defer r.wg.Done()
		r.guardLoop()
	}()
	if r.journal != nil {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.feed(r.ctx, r.stop)
		}()
	}
}

// Close stops accepting records and flushes everything to the store. If ctx
// ends first, what is left goes to a spill file for the next start and Close
// returns an error saying so.
func (r *Recorder) Close(ctx context.Context) error {
	r.mu.Lock()
	if r.closing {
		r.mu.Unlock()
		return nil
	}
	r.closing = true
	r.mu.Unlock()
	close(r.stop)
	if r.cancel != nil {
		done := make(chan struct{})
		go func() { r.wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-ctx.Done():
			r.cancel() // stop retrying; the writer returns at once
			<-done
		}
		r.cancel()
	}
	perr := errors.Join(r.persistRest(), r.closeRejected(), r.closeJournal(ctx))
	defer r.unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.pending) > 0 {
		cause := ctx.Err()
		if cause == nil {
			cause = context.Canceled // Start's context ended before Close
		}
		return errors.Join(fmt.Errorf("close recorder: store not reached, %d spill file(s) left in %s for the next start: %w",
			len(r.pending), r.cfg.Dir, cause), perr)
	}
	return perr
}

// SpilledUntil is the time of the latest tick in the spill files an earlier
// run left (zero when none), read by New. They reach the store only after
// Start, so whoever resumes a market after the last stored tick must take
// the later of the two, or record a second tape over the spill's span.
func (r *Recorder) SpilledUntil() time.Time { return r.spilledUntil }

// Stats returns the counters.
func (r *Recorder) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}
