package record

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rs/zerolog"
)

// isolate handles a batch the store refused as invalid: it writes the records
// one by one so that one bad tick does not hold back the others, and sets
// aside each record the store refuses on its own.
func (r *Recorder) isolate(ctx context.Context, run []item, cause error) error {
	if len(run) == 1 {
		r.reject(&run[0], cause)
		return nil
	}
	for i := range run {
		if err := r.writeRun(ctx, run[i:i+1]); err != nil {
			return err
		}
	}
	return nil
}

// reject appends it to this run's dead-letter file. These files are for a
// person to read; the recorder never replays them.
func (r *Recorder) reject(it *item, cause error) {
	r.mu.Lock()
	r.stats.Rejected++
	r.mu.Unlock()
	r.cfg.Log.Error().Err(cause).Msg("recorder: store refused a record; set aside")
	if r.rejected == nil {
		path := filepath.Join(r.cfg.Dir, fmt.Sprintf("rejected-%08d.jsonl", r.run))
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			r.lost(fmt.Errorf("open rejected file: %w", err))
			return
		}
		sf := &spillFile{path: path, f: f}
		sf.init()
		r.rejected = sf
	}
	if err := r.rejected.write(it); err != nil {
		r.lost(err)
	}
}

func (r *Recorder) lost(err error) {
	r.mu.Lock()
	r.stats.Lost++
	n := r.stats.Lost
	r.mu.Unlock()
	r.noteFull(err)
	r.logLost.event(zerolog.ErrorLevel).Err(err).Int64("lost", n).Msg("recorder: record lost")
}

// closeRejected makes the dead letters durable. Called after the writer stopped.
func (r *Recorder) closeRejected() error {
	if r.rejected == nil {
		return nil
	}
	err := r.rejected.close()
	r.rejected = nil
	return err
}
