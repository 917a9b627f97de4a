package script

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// fired marks a call the watchdog has cancelled.
const fired = -1

// stallFactor bounds how long the watchdog waits for a call that is over
// its wall-clock budget but has not used the CPU to match (see overrun).
const stallFactor = 4

// watchdog aborts a hook call that runs past its budget. The calling
// goroutine pays two atomic stores per call (begin, end); a context is set on
// the LState once (LUA.md recommendation 3: a per-call WithTimeout costs
// ×1.4–2.6 and five allocations, the watchdog ×1.13–1.44).
type watchdog struct {
	budget time.Duration
	epoch  time.Time    // monotonic base for start
	start  atomic.Int64 // ns since epoch (+1) of the running call; 0 idle; fired
	cancel atomic.Pointer[context.CancelFunc]
	cpu    func() time.Duration // process CPU time, -1 if unknown

	// owned by the watchdog goroutine: the call it last saw start
	seen     int64
	seenWall time.Duration
	seenCPU  time.Duration

	stop chan struct{}
	wg   sync.WaitGroup
}

func newWatchdog(budget time.Duration) *watchdog {
	w := &watchdog{budget: budget, epoch: time.Now(), cpu: processCPU, stop: make(chan struct{})}
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

// check cancels the running call if it is over budget (see overrun). The CAS makes sure
// the call that is cancelled is the one that was measured: a call that
// ended in between has reset start, and a new one has a later start.
func (w *watchdog) check() {
	s := w.start.Load()
	if s <= 0 {
		return
	}
	now := time.Since(w.epoch)
	if s != w.seen {
		w.seen, w.seenWall, w.seenCPU = s, now, w.cpu()
	}
	cpu := w.cpu()
	if cpu >= 0 && w.seenCPU >= 0 {
		cpu -= w.seenCPU
	} else {
		cpu = -1
	}
	if !overrun(w.budget, now-time.Duration(s-1), now-w.seenWall, cpu) {
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

// overrun decides whether a call has used up its budget. wall is how long
// it has been running; observed is how long the watchdog has been watching
// it, and cpu the CPU time the process used meanwhile (-1 if unknown).
//
// On a loaded machine the OS can leave a thread without a CPU for hundreds
// of milliseconds (we measured a 1.5 µs hook taking 246 ms at load 13 on
// two cores), and a wall-clock budget alone would abort, and rebuild, a
// strategy that did nothing wrong. A runaway script keeps a core busy, so a
// call over budget is aborted once the process has been seen using most of
// a core for at least a quarter of the budget, and in any case after
// stallFactor budgets. (The process's CPU time also counts the garbage
// collector, which alone uses well under a core.)
func overrun(budget, wall, observed, cpu time.Duration) bool {
	switch {
	case wall <= budget:
		return false
	case wall > stallFactor*budget || cpu < 0:
		return true
	}
	return observed >= budget/4 && cpu*10 >= observed*9
}
