package replay

import (
	"io"
	"strconv"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Progress line timing: nothing is drawn before progressDelay of wall time,
// so a short replay prints nothing, then the line is redrawn at most every
// progressEvery. feed looks at the clock only every progressCheck ticks, so
// the per-tick cost is a counter test.
const (
	progressDelay = 2 * time.Second
	progressEvery = 200 * time.Millisecond
	progressCheck = 1 << 12 // a power of two: feed masks the count with progressCheck-1
)

// sized is a Source that knows how far through its tape it is: done of
// total, in any unit. The progress line shows an ETA only for one.
type sized interface {
	progress() (done, total int64)
}

func (s *sliceSource) progress() (int64, int64) { return int64(s.i), int64(len(s.tape)) }

// progress redraws one line on a terminal while a replay runs: ticks done,
// ticks per second of wall time, the simulated time in KST and, when the
// source is sized, the share done and an ETA.
type progress struct {
	w     io.Writer
	now   func() time.Time
	src   sized // nil when the total is not known
	start time.Time
	last  time.Time // when the line was last drawn; zero before the first
	buf   []byte
}

// newProgress returns the progress line of a replay of src drawn on w, or
// nil when w is nil. now is the wall clock; nil for time.Now.
func newProgress(w io.Writer, src Source, now func() time.Time) *progress {
	if w == nil {
		return nil
	}
	if now == nil {
		now = time.Now
	}
	p := &progress{w: w, now: now, start: now(), buf: make([]byte, 0, 128)}
	p.src, _ = src.(sized)
	return p
}

// tick is called every progressCheck ticks: it redraws the line when it is
// due. done is the count of ticks replayed, sim the last one's time.
func (p *progress) tick(done int, sim time.Time) {
	if p == nil {
		return
	}
	now := p.now()
	if p.last.IsZero() {
		if now.Sub(p.start) < progressDelay {
			return
		}
	} else if now.Sub(p.last) < progressEvery {
		return
	}
	p.last = now
	p.draw(now, done, sim, false)
}

// end draws the final line and ends it, if a line was drawn at all.
func (p *progress) end(done int, sim time.Time) {
	if p == nil || p.last.IsZero() {
		return
	}
	p.draw(p.now(), done, sim, true)
}

func (p *progress) draw(now time.Time, done int, sim time.Time, end bool) {
	elapsed := now.Sub(p.start)
	b := append(p.buf[:0], "\rreplay: "...)
	b = strconv.AppendInt(b, int64(done), 10)
	b = append(b, " ticks  "...)
	rate := int64(0)
	if elapsed > 0 {
		rate = int64(float64(done) / elapsed.Seconds())
	}
	b = strconv.AppendInt(b, rate, 10)
	b = append(b, " ticks/s  "...)
	b = sim.In(market.Seoul).AppendFormat(b, "2006-01-02 15:04:05 KST")
	if p.src != nil {
		if d, total := p.src.progress(); total > 0 && d > 0 {
			b = append(b, "  "...)
			b = strconv.AppendInt(b, d*100/total, 10)
			b = append(b, '%')
			if !end {
				eta := time.Duration(float64(elapsed) * float64(total-d) / float64(d))
				b = append(b, "  ETA "...)
				b = appendDuration(b, eta)
			}
		}
	}
	if end {
		b = append(b, "  in "...)
		b = appendDuration(b, elapsed)
	}
	b = append(b, "\x1b[K"...) // clear what a longer line left
	if end {
		b = append(b, '\n')
	}
	p.buf = b
	_, _ = p.w.Write(b)
}

// appendDuration appends d rounded to the second as H:MM:SS, or M:SS under
// an hour.
func appendDuration(b []byte, d time.Duration) []byte {
	s := int64((d + time.Second/2) / time.Second)
	h, m := s/3600, s/60%60
	s %= 60
	if h > 0 {
		b = strconv.AppendInt(b, h, 10)
		b = append(b, ':')
		b = append2(b, m)
	} else {
		b = strconv.AppendInt(b, m, 10)
	}
	b = append(b, ':')
	return append2(b, s)
}

func append2(b []byte, n int64) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}
