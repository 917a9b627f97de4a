package statefile

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/script"
)

// Saver is a place a Writer keeps checkpoints: a *Dir, or the store.
type Saver interface {
	SaveVersion(ctx context.Context, name string, st script.State, version int64) error
}

// Target is one place a Writer writes to.
type Target struct {
	Name    string        // for logs and errors: "state file", "store"
	Saver   Saver         //
	Timeout time.Duration // bounds one write; 10 s when 0
}

// Writer keeps each strategy's latest checkpoint in one or more places,
// off the caller's goroutine: Put never waits. Each target has its own
// goroutine, so a slow store does not hold up the local file; each keeps
// only the latest state per strategy, and writes them one at a time, so
// an older state never overwrites a newer one. A write that fails is
// tried again, with backoff, unless a newer state replaced it.
type Writer struct {
	log   zerolog.Logger
	mu    sync.Mutex
	last  int64 // the last version given
	lanes []*lane
}

type entry struct {
	st      script.State
	version int64
}

// lane is one target's queue and goroutine.
type lane struct {
	t       Target
	log     zerolog.Logger
	mu      sync.Mutex
	pending map[string]entry // the latest state not yet written, per strategy
	written map[string]int64 // the newest version written, per strategy
	failed  map[string]error // the last error of a pending strategy
	closing bool
	kick    chan struct{}
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}
}

// NewWriter starts a Writer writing to targets.
func NewWriter(log zerolog.Logger, targets ...Target) *Writer {
	w := &Writer{log: log}
	for _, t := range targets {
		if t.Timeout <= 0 {
			t.Timeout = 10 * time.Second
		}
		l := &lane{t: t, log: log.With().Str("to", t.Name).Logger(), pending: map[string]entry{},
			written: map[string]int64{}, failed: map[string]error{}, kick: make(chan struct{}, 1), done: make(chan struct{})}
		l.ctx, l.cancel = context.WithCancel(context.Background())
		w.lanes = append(w.lanes, l)
		go l.run()
	}
	return w
}

// Floor makes every later version larger than v: the newest version
// loaded at start, so a clock set back cannot make a new checkpoint look
// older than one from an earlier run.
func (w *Writer) Floor(v int64) {
	w.mu.Lock()
	w.last = max(w.last, v)
	w.mu.Unlock()
}

// Put queues st as name's latest state, replacing any not yet written,
// and returns its version: the wall clock in nanoseconds, above every
// version given before. st must not be changed afterwards.
func (w *Writer) Put(name string, st script.State) int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	v := max(time.Now().UnixNano(), w.last+1)
	w.last = v
	for _, l := range w.lanes {
		l.put(name, entry{st, v})
	}
	return v
}

// Close writes what is pending and stops. It waits until every target
// has its latest states or ctx ends; the error names each target and
// strategy whose latest state was not written.
func (w *Writer) Close(ctx context.Context) error {
	for _, l := range w.lanes {
		l.mu.Lock()
		l.closing = true
		l.mu.Unlock()
		l.wake()
	}
	var errs []error
	for _, l := range w.lanes {
		select {
		case <-l.done:
		case <-ctx.Done():
			l.cancel()
			<-l.done
		}
		l.cancel()
		errs = append(errs, l.unwritten())
	}
	return errors.Join(errs...)
}

func (l *lane) put(name string, e entry) {
	l.mu.Lock()
	if cur, ok := l.pending[name]; !ok || cur.version < e.version {
		l.pending[name] = e
	}
	l.mu.Unlock()
	l.wake()
}

func (l *lane) wake() {
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

// next takes one pending state, in name order so none starves.
func (l *lane) next() (string, entry, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.pending) == 0 {
		return "", entry{}, false
	}
	name := slices.Min(slices.Collect(maps.Keys(l.pending)))
	e := l.pending[name]
	delete(l.pending, name)
	return name, e, true
}

func (l *lane) run() {
	defer close(l.done)
	backoff := 50 * time.Millisecond
	for {
		name, e, ok := l.next()
		if !ok {
			l.mu.Lock()
			closing := l.closing
			l.mu.Unlock()
			if closing {
				return
			}
			select {
			case <-l.kick:
			case <-l.ctx.Done():
				return
			}
			continue
		}
		ctx, cancel := context.WithTimeout(l.ctx, l.t.Timeout)
		err := l.t.Saver.SaveVersion(ctx, name, e.st, e.version)
		cancel()
		l.mu.Lock()
		if err == nil {
			l.written[name] = max(l.written[name], e.version)
			delete(l.failed, name)
			l.mu.Unlock()
			backoff = 50 * time.Millisecond
			continue
		}
		if _, newer := l.pending[name]; !newer {
			l.pending[name] = e // try again, unless a newer state came meanwhile
		}
		l.failed[name] = err
		l.mu.Unlock()
		if l.ctx.Err() != nil {
			return
		}
		l.log.Warn().Err(err).Str("strategy", name).Dur("retry_in", backoff).Msg("state checkpoint not written; trying again")
		select {
		case <-time.After(backoff):
		case <-l.ctx.Done():
			return
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// unwritten is an error naming the strategies whose latest state this
// lane did not write, nil when none.
func (l *lane) unwritten() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.pending) == 0 {
		return nil
	}
	names := slices.Sorted(maps.Keys(l.pending))
	var cause error
	for _, n := range names {
		if l.failed[n] != nil {
			cause = l.failed[n]
			break
		}
	}
	if cause == nil {
		cause = context.DeadlineExceeded
	}
	return fmt.Errorf("state of %s not written to the %s: %w", strings.Join(names, ", "), l.t.Name, cause)
}

// Written returns the newest version the named target holds for name, 0
// when none: for tests and logs.
func (w *Writer) Written(target, name string) int64 {
	for _, l := range w.lanes {
		if l.t.Name == target {
			l.mu.Lock()
			defer l.mu.Unlock()
			return l.written[name]
		}
	}
	return 0
}

// Pending returns how many strategies' latest states the named target
// has not written.
func (w *Writer) Pending(target string) int {
	for _, l := range w.lanes {
		if l.t.Name == target {
			l.mu.Lock()
			defer l.mu.Unlock()
			return len(l.pending)
		}
	}
	return 0
}
