package reload_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/live"
	"github.com/qbtrading/qb/host/load"
	"github.com/qbtrading/qb/host/reload"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/host/statefile"
	"github.com/qbtrading/qb/host/watch"
	"github.com/qbtrading/qb/lib/market"
)

func TestMain(m *testing.M) {
	script.HardenProcess() // as cmd/qb does, before any Lua state exists
	os.Exit(m.Run())
}

const (
	sym = market.Symbol("005930")
	// wait bounds every poll: generous, so a slow CI machine passes; it
	// is never a timing assertion.
	wait = 10 * time.Second
	// quiet is the grid price the feed trades at; trigger makes the probe
	// strategy buy one share.
	quiet   = 70_000
	trigger = 70_500
)

// open is 09:00 KST on a Wednesday: the feed's first tick.
var open = time.Date(2026, 3, 4, 9, 0, 0, 0, market.Seoul)

// host is a running qb: a scripts folder watched with fsnotify, a real
// engine driven by the live loop on its own goroutine, and a Reloader
// wired as cmd/qb/run.go wires it. The test feeds the ticks.
type host struct {
	t      testing.TB
	dir    string
	eng    *engine.Engine
	rl     *reload.Reloader
	w      *watch.Watcher
	do     chan func()
	ticks  chan market.Tick
	logs   *logBuffer
	opt    hostOptions
	cancel context.CancelFunc
	done   chan struct{}
	seq    int64 // ticks sent so far
}

// hostOptions tune newHost.
type hostOptions struct {
	debounce time.Duration // watch.DefaultDebounce when zero
	base     script.Options
	seen     func(line []byte) // see logBuffer.seen
	// batch, when set, is called as each watch batch reaches the host,
	// before it is queued for the engine's goroutine.
	batch func(received time.Time)
	// states, when set, hands each strategy its state from the folder at
	// start, as qb run does between runs.
	states *statefile.Dir
}

// newHost writes files (relative path → source) into a fresh scripts
// folder and starts a host on it.
func newHost(t testing.TB, files map[string]string, opt hostOptions) *host {
	t.Helper()
	return newHostIn(t, filepath.Join(t.TempDir(), "scripts"), files, opt)
}

// newHostIn is newHost on a folder of the caller's, which may hold files.
func newHostIn(t testing.TB, dir string, files map[string]string, opt hostOptions) *host {
	t.Helper()
	h := &host{t: t, dir: dir, opt: opt, logs: &logBuffer{seen: opt.seen}, do: make(chan func()), ticks: make(chan market.Tick), done: make(chan struct{})}
	for rel, src := range files {
		h.write(rel, src)
	}
	log := zerolog.New(h.logs).With().Timestamp().Logger()
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	// Opened before the files are read, as run.go does. Polling is off:
	// the tests prove that fsnotify events alone do the work.
	w, err := watch.Open(ctx, dir, watch.Options{Debounce: opt.debounce, Poll: -1, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	h.w = w
	srcs, err := load.Strategies([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	base := opt.base
	if base.Budget == 0 {
		base.Budget = time.Second // generous under -race
	}
	specs, metas, err := load.Specs(srcs, load.Params{}, base, log)
	if err != nil {
		t.Fatal(err)
	}
	if opt.states != nil { // as run.go's restoreStates
		for i := range specs {
			st, ok, err := opt.states.LoadState(ctx, metas[i].Name)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				specs[i].State = st
			}
		}
	}
	if h.eng, err = engine.New(engine.Config{Strategies: specs, Log: log}); err != nil {
		t.Fatal(err)
	}
	if err := h.eng.Start(); err != nil {
		t.Fatal(err)
	}
	h.rl = reload.New(h.eng, reload.Config{Dir: dir, Base: base, Log: log})
	for i, src := range srcs {
		h.rl.Track(src, metas[i])
	}
	go h.reloads(ctx)
	go func() {
		defer close(h.done)
		_, _ = live.Run(ctx, h.eng, live.Config{Ticks: h.ticks, Do: h.do, Log: log})
	}()
	t.Cleanup(h.close)
	return h
}

// reloads hands the watcher's batches to the engine's goroutine, as
// run.go's reloads does, on the channel the test's own work shares.
func (h *host) reloads(ctx context.Context) {
	for batch := range h.w.Changes() {
		if h.opt.batch != nil {
			h.opt.batch(time.Now())
		}
		select {
		case h.do <- func() { h.rl.Apply(batch) }:
		case <-ctx.Done():
			return
		}
	}
}

// close stops the engine (if the test did not) and the goroutines.
func (h *host) close() {
	select {
	case <-h.done:
	default:
		h.run(func() { _ = h.eng.Stop() })
	}
	h.cancel()
	<-h.done
	if err := h.w.Close(); err != nil {
		h.t.Error(err)
	}
}

// run runs f on the engine's goroutine, between two events, and waits.
func (h *host) run(f func()) {
	h.t.Helper()
	finished := make(chan struct{})
	select {
	case h.do <- func() { f(); close(finished) }:
	case <-h.done:
		h.t.Fatal("the engine's loop has ended")
	}
	<-finished
}

// tick sends the next tick at price: one a second from open, so a tick's
// time in unix seconds minus open's is its sequence number. It returns
// when the live loop has taken it.
func (h *host) tick(price int64) {
	h.seq++
	h.ticks <- tickAt(h.seq, price)
}

func tickAt(seq, price int64) market.Tick {
	return market.Tick{Time: open.Add(time.Duration(seq) * time.Second), Symbol: sym, Price: price,
		Volume: 1000, Bid: price - 100, Ask: price, Seq: seq}
}

// feed sends n quiet ticks.
func (h *host) feed(n int) {
	for range n {
		h.tick(quiet)
	}
}

// results reads the engine's results on its goroutine.
func (h *host) results() []engine.Result {
	var out []engine.Result
	h.run(func() { out = h.eng.Results() })
	return out
}

// result is the result of the strategy called name.
func (h *host) result(name string) engine.Result {
	h.t.Helper()
	for _, r := range h.results() {
		if r.Name == name {
			return r
		}
	}
	h.t.Fatalf("no strategy %q in the results", name)
	return engine.Result{}
}

// status reads the Reloader's status of a file on the engine's goroutine.
func (h *host) status(rel string) reload.Status {
	var out []reload.Status
	h.run(func() { out = h.rl.Status() })
	for _, s := range out {
		if s.File == h.path(rel) {
			return s
		}
	}
	return reload.Status{}
}

func (h *host) counters() reload.Counters {
	var c reload.Counters
	h.run(func() { c = h.rl.Counters() })
	return c
}

// stop stops the engine (on_stop for each strategy) and returns the results.
func (h *host) stop() []engine.Result {
	h.t.Helper()
	var out []engine.Result
	h.run(func() {
		if err := h.eng.Stop(); err != nil {
			h.t.Errorf("stop: %v", err)
		}
		out = h.eng.Results()
	})
	h.cancel()
	<-h.done
	return out
}

// until polls cond every 5 ms, feeding a quiet tick first when feed is
// set, and fails the test after wait.
func (h *host) until(what string, feed bool, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("after %v: still waiting for %s\nlog:\n%s", wait, what, h.logs.String())
		}
		if feed {
			h.tick(quiet)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// untilVersion waits, without feeding ticks, until rel runs version v.
func (h *host) untilVersion(rel string, v int) {
	h.t.Helper()
	h.until(rel+" at version "+strconv.Itoa(v), false, func() bool { return h.status(rel).Version == v })
}

func (h *host) path(rel string) string { return filepath.Join(h.dir, filepath.FromSlash(rel)) }

func (h *host) write(rel, src string) {
	h.t.Helper()
	p := h.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// logBuffer collects the host's JSON log lines; the engine's goroutine
// writes while the test reads.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	// seen, when set, is called with each line as it is written, on the
	// writer's goroutine; a benchmark uses it instead of keeping lines.
	seen func(line []byte)
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.seen != nil {
		b.seen(p)
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns every log line whose message is msg and whose fields
// include want (compared as JSON values: numbers are float64).
func (b *logBuffer) lines(msg string, want map[string]any) []map[string]any {
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader([]byte(b.String())))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line map[string]any
		if json.Unmarshal(sc.Bytes(), &line) != nil || line["message"] != msg {
			continue
		}
		ok := true
		for k, v := range want {
			if line[k] != v {
				ok = false
			}
		}
		if ok {
			out = append(out, line)
		}
	}
	return out
}

// logged counts the lines lines would return.
func (b *logBuffer) logged(msg string, want map[string]any) int { return len(b.lines(msg, want)) }

type reloadCounters = reload.Counters

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

func baseWithMaxFailures(n int) script.Options { return script.Options{MaxFailures: n} }

func removeFile(h *host, rel string) error { return os.Remove(h.path(rel)) }
