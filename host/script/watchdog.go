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

// check cancels the running call if it is over budget. The CAS makes sure
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
	began := time.Duration(s - 1)
	if !overrun(w.budget, now-began, w.seenWall-began, w.seenCPU, w.cpu()) {
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
// it has been running; before is the part of that before the watchdog first
// saw it, and cpu0/cpu1 the process's CPU time then and now.
//
// On a loaded machine the OS can leave a thread without a CPU for hundreds
// of milliseconds (we measured a 1.5 µs hook taking 246 ms at load 13 on
// two cores), and a wall-clock budget alone would abort, and rebuild, a
// strategy that did nothing wrong. So a call over budget by the wall clock
// is only aborted once the process has also spent the budget's worth of CPU
// since the call began (a runaway loop burns CPU the whole time), or when
// it has run stallFactor times the budget regardless.
func overrun(budget, wall, before, cpu0, cpu1 time.Duration) bool {
	switch {
	case wall <= budget:
		return false
	case wall > stallFactor*budget || cpu0 < 0 || cpu1 < 0:
		return true
	}
	return before+(cpu1-cpu0) > budget
}
