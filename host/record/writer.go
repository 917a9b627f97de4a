package record

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/lib/market"
)

// loop is the background writer: it drains on every kick (a batch is ready)
// and every FlushInterval, until Close.
func (r *Recorder) loop() {
	ticker := time.NewTicker(r.cfg.FlushInterval)
	defer ticker.Stop()
	for {
		r.drain(r.ctx)
		select {
		case <-r.kick:
		case <-ticker.C:
		case <-r.ctx.Done():
			return
		case <-r.stop:
			r.drain(r.ctx)
			return
		}
	}
}

// drain writes everything there is, oldest first: a batch left over from a
// failed write, spill files, the memory buffer, then the spill file being
// written (once the buffer is empty, so nothing newer overtakes it). It returns
// when there is nothing left or ctx ends.
func (r *Recorder) drain(ctx context.Context) {
	for ctx.Err() == nil {
		if len(r.inflight) == 0 {
			if p := r.nextPending(); p != "" {
				if r.replay(ctx, p) != nil {
					return
				}
				continue
			}
			next := r.swap(r.inflight)
			r.wmu.Lock()
			r.inflight = next
			r.wmu.Unlock()
		}
		if len(r.inflight) > 0 {
			n, err := r.write(ctx, r.inflight)
			r.wrote(n)
			if err != nil {
				return
			}
			continue
		}
		if !r.rotate() {
			return
		}
	}
}

func (r *Recorder) nextPending() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.pending) == 0 {
		return ""
	}
	return r.pending[0]
}

// rotate hands the current spill file to the replay queue when the buffer is
// empty; new records go back to memory. It reports whether it did.
func (r *Recorder) rotate() bool {
	r.mu.Lock()
	sf := r.spill
	if sf == nil || len(r.buf) > 0 {
		r.mu.Unlock()
		return false
	}
	r.spill = nil
	r.mu.Unlock()
	err := sf.close() // outside the lock: fsync must not hold up Tick
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.cfg.Log.Error().Err(err).Msg("recorder: spill file damaged, replaying what it holds")
	}
	r.pending = append(r.pending, sf.path)
	return true
}

// replay writes a spill file's records to the store and removes the file.
// A line that does not decode (the torn last line after a crash) is skipped.
func (r *Recorder) replay(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		r.cfg.Log.Error().Err(err).Str("file", path).Msg("recorder: cannot read spill file, skipping it")
		r.popPending()
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	batch := make([]item, 0, r.cfg.BatchSize)
	for lineNo := 1; sc.Scan(); lineNo++ {
		batch = append(batch, item{})
		if err := decodeLine(sc.Bytes(), &batch[len(batch)-1]); err != nil {
			batch = batch[:len(batch)-1]
			r.cfg.Log.Warn().Err(err).Str("file", path).Int("line", lineNo).Msg("recorder: skipping unreadable spill line")
			continue
		}
		if len(batch) == cap(batch) {
			if err := r.writeReplayed(ctx, batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if err := sc.Err(); err != nil {
		r.cfg.Log.Error().Err(err).Str("file", path).Msg("recorder: spill file read stopped early")
	}
	if err := r.writeReplayed(ctx, batch); err != nil {
		return err
	}
	if err := os.Remove(path); err != nil {
		r.cfg.Log.Error().Err(err).Str("file", path).Msg("recorder: cannot remove replayed spill file")
	}
	r.popPending()
	return nil
}

func (r *Recorder) writeReplayed(ctx context.Context, batch []item) error {
	r.mu.Lock()
	r.stats.Replayed += int64(len(batch))
	r.mu.Unlock()
	_, err := r.write(ctx, batch)
	return err
}

func (r *Recorder) popPending() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending = r.pending[1:]
}

// write sends items to the store, one call per run of the same kind (at most
// BatchSize long), and returns how many were written. It retries each call until it succeeds or
// ctx ends.
func (r *Recorder) write(ctx context.Context, items []item) (int, error) {
	done := 0
	for done < len(items) {
		end := done + 1
		for end < len(items) && items[end].kind == items[done].kind && end-done < r.cfg.BatchSize {
			end++
		}
		if err := r.writeRun(ctx, items[done:end]); err != nil {
			return done, err
		}
		done = end
	}
	return done, nil
}

func (r *Recorder) writeRun(ctx context.Context, run []item) error {
	call := r.prepare(run)
	r.mu.Lock()
	r.busy = time.Now()
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.busy = time.Time{}
		r.mu.Unlock()
	}()
	backoff := r.cfg.MinBackoff
	for attempt := 1; ; attempt++ {
		err := call(ctx)
		if err == nil {
			r.mu.Lock()
			r.stats.Written += int64(len(run))
			r.mu.Unlock()
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var bad *market.FieldError
		if errors.As(err, &bad) {
			return r.isolate(ctx, run, err)
		}
		r.noteFull(err) // then retried like any failure: the records wait in memory for room
		if r.stopping() {
			return err // no retry while the host stops: Close spills what is left
		}
		r.mu.Lock()
		r.stats.Retries++
		r.mu.Unlock()
		r.logStore.event(zerolog.WarnLevel).Err(err).Int("attempt", attempt).Dur("retry_in", backoff).Msg("recorder: store write failed")
		if err := r.sleep(ctx, backoff); err != nil {
			return err
		}
		backoff = min(2*backoff, r.cfg.MaxBackoff)
	}
}

// prepare copies a run of one kind into the writer's scratch slice and returns
// the store call for it.
func (r *Recorder) prepare(run []item) func(context.Context) error {
	switch run[0].kind {
	case kindTick:
		r.ticks = r.ticks[:0]
		for i := range run {
			r.ticks = append(r.ticks, run[i].tick)
		}
		return func(ctx context.Context) error { return r.cfg.Store.WriteTicks(ctx, r.ticks) }
	case kindBar:
		r.bars = r.bars[:0]
		for i := range run {
			r.bars = append(r.bars, run[i].bar)
		}
		return func(ctx context.Context) error { return r.cfg.Store.WriteBars(ctx, r.bars) }
	default:
		r.events = r.events[:0]
		for i := range run {
			r.events = append(r.events, run[i].event)
		}
		return func(ctx context.Context) error { return r.cfg.Store.WriteEvents(ctx, r.events) }
	}
}

// sleep waits d, or less when ctx ends or the host stops (Config.Stop).
func (r *Recorder) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-r.cfg.Stop:
		return errors.New("recorder: host stopping")
	}
}

// persistRest saves to a spill file whatever the writer could not deliver
// (the batch in flight and the buffer), and closes the current spill file, so
// the next start replays them in order. Called after the writer has stopped.
func (r *Recorder) persistRest() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	rest := r.inflight
	if r.inflightCopy != "" { // already in a spill file, and pending
		rest = rest[:0]
	}
	rest = append(rest, r.buf...)
	r.inflight, r.buf, r.inflightCopy = r.inflight[:0], r.buf[:0], ""
	var errs []error
	if len(rest) > 0 {
		errs = append(errs, r.saveItems(rest))
	}
	if r.spill != nil {
		errs = append(errs, r.spill.close())
		r.pending = append(r.pending, r.spill.path)
		r.spill = nil
	}
	return errors.Join(errs...)
}

func (r *Recorder) saveItems(items []item) error {
	sf, err := createSpill(r.cfg.Dir, r.run, items[0].seq)
	if err != nil {
		r.stats.Lost += int64(len(items))
		r.noteFull(err)
		return err
	}
	for i := range items {
		if err := sf.write(&items[i]); err != nil {
			r.stats.Lost += int64(len(items) - i)
			r.noteFull(err)
			break
		}
		r.stats.Spilled++
	}
	r.pending = append(r.pending, sf.path)
	if err := sf.close(); err != nil {
		return fmt.Errorf("recorder: %d records may be lost: %w", len(items), err)
	}
	return nil
}
