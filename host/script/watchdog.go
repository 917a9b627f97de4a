package script

import (
	"context"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// fired marks a call the watchdog has cancelled.
const fired = -1

// memPoll is how often the watchdog samples the process's allocations
// while a call runs (and the longest it sleeps when the memory watch is
// on): a script allocating at full speed gets a few megabytes past its
// budget before the call is aborted.
const memPoll = 5 * time.Millisecond

// walkEvery is the longest the retained-memory estimate waits while the
// strategy runs calls.
const walkEvery = time.Second

// Why the watchdog cancelled a call.
const (
	firedTime   int32 = 1
	firedMemory int32 = 2
)

// stallFactor bounds how long the watchdog waits for a call that is over
// its wall-clock budget but has not used the CPU to match (see overrun).
const stallFactor = 4

// watchdog aborts a hook call that runs past its budget. The calling
// goroutine pays two atomic stores per call (begin, end); a context is set on
// the LState once (LUA.md recommendation 3: a per-call WithTimeout costs
// ×1.4–2.6 and five allocations, the watchdog ×1.13–1.44).
type watchdog struct {
	budget time.Duration
	memory int64        // bytes one call may allocate; 0: not watched
	walkAt uint64       // allocations that make the retained-memory estimate due
	epoch  time.Time    // monotonic base for start
	start  atomic.Int64 // ns since epoch (+1) of the running call; 0 idle; fired
	why    atomic.Int32 // firedTime or firedMemory, once start is fired
	calls  atomic.Int64 // calls begun, so the watchdog sees short ones
	walk   atomic.Bool  // the retained-memory estimate is due
	cancel atomic.Pointer[context.CancelFunc]
	cpu    func() time.Duration // process CPU time, -1 if unknown

	// owned by the watchdog goroutine: the call it last saw start
	seen      int64
	seenWall  time.Duration
	seenCPU   time.Duration
	seenAlloc uint64
	// and the allocations it attributes to the strategy since the last walk
	allocs    []metrics.Sample
	lastAlloc uint64
	lastCalls int64
	sinceWalk uint64
	lastWalk  time.Time

	stop chan struct{}
	wg   sync.WaitGroup
}

// newWatchdog starts a watchdog for calls of at most budget that allocate
// at most memory bytes (0: allocations are not watched); the
// retained-memory estimate is due after walkAt bytes of allocations.
func newWatchdog(budget time.Duration, memory int64, walkAt int64) *watchdog {
	w := &watchdog{budget: budget, memory: memory, walkAt: uint64(max(walkAt, 1)), epoch: time.Now(), cpu: processCPU, stop: make(chan struct{}),
		allocs: []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}, lastWalk: time.Now()}
	w.lastAlloc = w.heapAllocs()
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
func (w *watchdog) begin() {
	w.calls.Add(1)
	w.start.Store(int64(time.Since(w.epoch)) + 1)
}

// end marks the end of a call and reports whether the watchdog cancelled
// it, and why (firedTime, firedMemory; 0 when it did not).
func (w *watchdog) end() int32 {
	if w.start.Swap(0) == fired {
		return w.why.Load()
	}
	return 0
}

// walkDue reports (once) that the retained-memory estimate should run:
// the strategy's calls have allocated a quarter of its budget, or a
// second of calls has passed, since the last one.
func (w *watchdog) walkDue() bool { return w.walk.Load() && w.walk.Swap(false) }

func (w *watchdog) heapAllocs() uint64 {
	metrics.Read(w.allocs)
	if w.allocs[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return w.allocs[0].Value.Uint64()
}

func (w *watchdog) run() {
	defer w.wg.Done()
	every := max(w.budget/4, time.Millisecond)
	if w.memory > 0 {
		every = min(every, memPoll)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
			w.check()
			if w.memory > 0 {
				w.account()
			}
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
		// Sampled when the watchdog first sees the call, not when it
		// began: a sample per call would cost the hot path as much as an
		// empty hook, and an older sample would charge the call for
		// earlier ones. What the call allocated before (at most one poll
		// interval's worth) is not counted.
		if w.memory > 0 {
			w.seenAlloc = w.heapAllocs()
		}
	}
	if w.memory > 0 && w.heapAllocs()-w.seenAlloc > uint64(w.memory) {
		w.fire(s, firedMemory)
		return
	}
	cpu := w.cpu()
	if cpu >= 0 && w.seenCPU >= 0 {
		cpu -= w.seenCPU
	} else {
		cpu = -1
	}
	if overrun(w.budget, now-time.Duration(s-1), now-w.seenWall, cpu) {
		w.fire(s, firedTime)
	}
}

// fire cancels the call that started at s, if it is still running.
func (w *watchdog) fire(s int64, why int32) {
	w.why.Store(why)
	cancel := w.cancel.Load()
	if w.start.CompareAndSwap(s, fired) && cancel != nil {
		(*cancel)()
	}
}

// account attributes the process's allocations since the last tick to
// the strategy when it ran calls meanwhile, and marks the retained-memory
// estimate due. With several strategies every one that ran is charged
// for all of it: the estimate then runs more often than needed, which
// costs only time off the tick path.
func (w *watchdog) account() {
	now, calls := w.heapAllocs(), w.calls.Load()
	busy := calls != w.lastCalls || w.start.Load() != 0
	if busy {
		w.sinceWalk += now - w.lastAlloc
	}
	w.lastAlloc, w.lastCalls = now, calls
	if !busy || w.walk.Load() {
		return
	}
	if w.sinceWalk >= w.walkAt || time.Since(w.lastWalk) >= walkEvery {
		w.sinceWalk, w.lastWalk = 0, time.Now()
		w.walk.Store(true)
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
