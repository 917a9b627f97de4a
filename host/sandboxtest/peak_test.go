package sandboxtest

import (
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// peakMeter samples the memory the Go runtime holds from the OS (all its
// mapped memory less the heap it has released) every millisecond, and
// keeps the highest figure: the runtime's own measure of the process's
// footprint.
type peakMeter struct {
	peak atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func startPeakMeter() *peakMeter {
	p := &peakMeter{stop: make(chan struct{})}
	p.wg.Add(1)
	go p.run()
	return p
}

func (p *peakMeter) run() {
	defer p.wg.Done()
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		p.sample(samples)
		select {
		case <-p.stop:
			return
		case <-t.C:
		}
	}
}

func (p *peakMeter) sample(samples []metrics.Sample) {
	metrics.Read(samples)
	held := samples[0].Value.Uint64() - samples[1].Value.Uint64()
	for {
		old := p.peak.Load()
		if held <= old || p.peak.CompareAndSwap(old, held) {
			return
		}
	}
}

// reset starts a new measurement from the current figure.
func (p *peakMeter) reset() { p.peak.Store(0) }

// max is the highest figure since the last reset.
func (p *peakMeter) max() uint64 { return p.peak.Load() }

func (p *peakMeter) close() {
	close(p.stop)
	p.wg.Wait()
}
