package script

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// fired marks a call the watchdog has cancelled.
const fired = -1

// watchdog aborts a hook call that runs past its budget. The calling
// goroutine pays two atomic stores per call (begin, end); a context is set on
// the LState once (LUA.md recommendation 3: a per-call WithTimeout costs
// ×1.4–2.6 and five allocations, the watchdog ×1.13–1.44).
type watchdog struct {
	budget time.Duration
	epoch  time.Time    // monotonic base for start
	start  atomic.Int64 // ns since epoch (+1) of the running call; 0 idle; fired
	cancel atomic.Pointer[context.CancelFunc]

	stop chan struct{}
	wg   sync.WaitGroup
}

func newWatchdog(budget time.Duration) *watchdog {
	w := &watchdog{budget: budget, epoch: time.Now(), stop: make(chan struct{})}
	w.wg.Add(1)
	go w.run()
	return w
}

// arm returns a fresh context for a new LState; the watchdog cancels it when
// a call overruns. The previous context, if any, is cancelled.
func (w *watchdog) arm() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	if old := w.cancel.Swap(&cancel); old != nil {
		(*old)()
	}
	return ctx
}

// begin marks the start of a call.
func (w *watchdog) begin() { w.start.Store(int64(time.Since(w.epoch)) + 1) }

// end marks the end of a call and reports whether the watchdog cancelled it.
func (w *watchdog) end() bool { return w.start.Swap(0) == fired }

func (w *watchdog) run() {
	defer w.wg.Done()
	t := time.NewTicker(max(w.budget/4, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
			w.check()
		}
	}
}

// check cancels the running call if it is over budget. The CAS makes sure
// the call that is cancelled is the one that was measured: a call that
// ended in between has reset start, and a new one has a later start.
func (w *watchdog) check() {
	s := w.start.Load()
	if s <= 0 || time.Duration(int64(time.Since(w.epoch))+1-s) <= w.budget {
		return
	}
	cancel := w.cancel.Load()
	if w.start.CompareAndSwap(s, fired) && cancel != nil {
		(*cancel)()
	}
}

// close stops the watchdog goroutine and cancels the current context.
func (w *watchdog) close() {
	close(w.stop)
	w.wg.Wait()
	if c := w.cancel.Swap(nil); c != nil {
		(*c)()
	}
}
