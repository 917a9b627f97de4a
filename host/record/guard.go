package record

import (
	"os"
	"slices"
	"time"
)

// A process killed with SIGKILL (or crashing) loses what it holds in memory
// only. The guard bounds that by time: every FlushInterval/2 it pushes the
// open spill file's buffered lines to the operating system, and when a
// store call has lasted StallAfter or more (a slow or absent store), it
// moves the buffer to a spill file, new records following it there, and
// saves a copy of the batch being written. The copy is deleted once the
// store has the batch; if the process dies first, the next start replays
// it (the store's writes are idempotent).
//
// So a record is in the store or in a file within FlushInterval plus the
// store call's time while the store keeps up, and at most FlushInterval +
// StallAfter + FlushInterval/2 (325 ms by default) after it was recorded
// when the store stalls.

func (r *Recorder) guardLoop() {
	t := time.NewTicker(max(r.cfg.FlushInterval/2, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.guard()
		case <-r.ctx.Done():
			return
		case <-r.stop:
			return
		}
	}
}

// guard does one round of the guard's work.
func (r *Recorder) guard() {
	r.mu.Lock()
	stalled := !r.busy.IsZero() && time.Since(r.busy) >= r.cfg.StallAfter
	r.mu.Unlock()
	if stalled {
		r.saveInflight()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if stalled && len(r.buf) > 0 && !r.closing {
		r.spillBuffer()
	}
	if r.spill != nil {
		if err := r.spill.w.Flush(); err != nil {
			r.cfg.Log.Error().Err(err).Str("file", r.spill.path).Msg("recorder: spill file write failed")
		}
	}
}

// spillBuffer moves the buffer's records to disk. With no spill file open,
// they start one, and the records after them go there too until the writer
// has caught up (rotate); behind an open spill file (whose records are
// newer) they go to a file of their own, queued for replay now. Called with
// r.mu held.
func (r *Recorder) spillBuffer() {
	if r.spill == nil {
		for i := range r.buf {
			it := r.buf[i]
			r.spillLocked(&it)
		}
		r.buf = r.buf[:0]
		return
	}
	if err := r.saveItems(r.buf); err != nil {
		r.cfg.Log.Error().Err(err).Msg("recorder: buffer not saved")
	}
	r.buf = r.buf[:0]
}

// saveInflight copies the batch the writer is sending to a spill file,
// once per batch, and queues it for replay.
func (r *Recorder) saveInflight() {
	r.wmu.Lock()
	defer r.wmu.Unlock()
	if len(r.inflight) == 0 || r.inflightCopy != "" {
		return
	}
	sf, err := createSpill(r.cfg.Dir, r.run, r.inflight[0].seq)
	if err == nil {
		for i := range r.inflight {
			if err = sf.write(&r.inflight[i]); err != nil {
				break
			}
		}
		if cerr := sf.close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		if sf != nil {
			_ = os.Remove(sf.path)
		}
		r.cfg.Log.Error().Err(err).Msg("recorder: could not copy the batch in flight to disk")
		return
	}
	r.inflightCopy = sf.path
	r.mu.Lock()
	r.pending = append(r.pending, sf.path)
	r.mu.Unlock()
}

// wrote drops the first n records of inflight, the store having them.
// Once the whole batch is written its copy on disk, if any, is not needed.
func (r *Recorder) wrote(n int) {
	r.wmu.Lock()
	defer r.wmu.Unlock()
	r.inflight = r.inflight[:copy(r.inflight, r.inflight[n:])]
	if len(r.inflight) > 0 || r.inflightCopy == "" {
		return
	}
	path := r.inflightCopy
	r.inflightCopy = ""
	r.mu.Lock()
	if i := slices.Index(r.pending, path); i >= 0 {
		r.pending = slices.Delete(r.pending, i, i+1)
	}
	r.mu.Unlock()
	if err := os.Remove(path); err != nil {
		r.cfg.Log.Warn().Err(err).Str("file", path).Msg("recorder: cannot remove a copy of a written batch; it will be written again")
	}
}
