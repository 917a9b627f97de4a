package record

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/lib/market"
)

// Spill files are JSON lines named spill-RUN-SEQ.jsonl: RUN grows with every
// New on the directory and SEQ is the first record's sequence in that run, so
// sorting the names sorts the records in the order they were recorded.
const spillPattern = "spill-%08d-%016d.jsonl"

// line is one record in a spill file; exactly one pointer is set.
type line struct {
	Tick  *market.Tick `json:"t,omitempty"`
	Bar   *market.Bar  `json:"b,omitempty"`
	Event *spillEvent  `json:"e,omitempty"`
}

// spillEvent is an Event in a spill file. Details that are not valid JSON
// cannot be written as a raw JSON value (the encoder refuses them and the
// whole record would be lost, though the store keeps such details), so they
// travel byte for byte, base64, in RawDetails instead.
type spillEvent struct {
	Event
	RawDetails []byte `json:"details_bytes,omitempty"`
}

func toSpillEvent(e *Event) *spillEvent {
	se := &spillEvent{Event: *e}
	if len(e.Details) > 0 && !json.Valid(e.Details) {
		se.Details, se.RawDetails = nil, e.Details
	}
	return se
}

func (se *spillEvent) event() Event {
	e := se.Event
	if len(se.RawDetails) > 0 {
		e.Details = json.RawMessage(se.RawDetails)
	}
	return e
}

type spillFile struct {
	path string
	f    *os.File
	w    *bufio.Writer
	enc  *json.Encoder
	err  error // the first write error: the buffered writer fails every write after it
}

func createSpill(dir string, run int, seq uint64) (*spillFile, error) {
	path := filepath.Join(dir, fmt.Sprintf(spillPattern, run, seq))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create spill file: %w", err)
	}
	sf := &spillFile{path: path, f: f}
	sf.init()
	return sf, nil
}

func (s *spillFile) init() {
	s.w = bufio.NewWriterSize(s.f, 64<<10)
	s.enc = json.NewEncoder(s.w)
}

func (s *spillFile) write(it *item) error {
	if s.err != nil {
		return s.err // no encoding for a record that cannot be written
	}
	var l line
	switch it.kind {
	case kindTick:
		l.Tick = &it.tick
	case kindBar:
		l.Bar = &it.bar
	case kindEvent:
		l.Event = toSpillEvent(&it.event)
	}
	if err := s.enc.Encode(&l); err != nil {
		err = fmt.Errorf("write spill file %s: %w", s.path, err)
		if pe := (*os.PathError)(nil); errors.As(err, &pe) {
			s.err = err // the file failed, not the record
		}
		return err
	}
	return nil
}

// close flushes and fsyncs the file and its directory entry: once it returns,
// the records survive a crash.
func (s *spillFile) close() error {
	err := s.w.Flush()
	if err == nil {
		err = s.f.Sync()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(filepath.Dir(s.path))
	}
	if err != nil {
		return fmt.Errorf("close spill file %s: %w", s.path, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// scanSpills returns the spill files already in dir, oldest first, and the
// run number for this process.
func scanSpills(dir string) (pending []string, run int, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, 0, fmt.Errorf("recorder: spill directory: %w", err)
	}
	for _, e := range entries {
		var r int
		var seq uint64
		if _, err := fmt.Sscanf(e.Name(), spillPattern, &r, &seq); err != nil || e.IsDir() {
			continue
		}
		pending = append(pending, filepath.Join(dir, e.Name()))
		run = max(run, r)
	}
	sort.Strings(pending)
	return pending, run + 1, nil
}

// decodeLine turns one spill line back into an item.
func decodeLine(b []byte, it *item) error {
	var l line
	if err := json.Unmarshal(b, &l); err != nil {
		return err
	}
	switch {
	case l.Tick != nil:
		it.kind, it.tick = kindTick, *l.Tick
	case l.Bar != nil:
		it.kind, it.bar = kindBar, *l.Bar
	case l.Event != nil:
		it.kind, it.event = kindEvent, l.Event.event()
	default:
		return fmt.Errorf("no record in line")
	}
	return nil
}

// spillLocked appends it to the current spill file, opening one if needed.
// Called with r.mu held.
func (r *Recorder) spillLocked(it *item) {
	if r.spill == nil {
		sf, err := createSpill(r.cfg.Dir, r.run, it.seq)
		if err != nil {
			r.stats.Lost++
			r.noteFull(err)
			r.logLost.event(zerolog.ErrorLevel).Err(err).Int64("lost", r.stats.Lost).Msg("recorder: record lost")
			return
		}
		r.spill = sf
		r.cfg.Log.Warn().Str("file", sf.path).Msg("recorder: buffer full, spilling to disk")
	}
	if err := r.spill.write(it); err != nil {
		r.stats.Lost++
		r.noteFull(err)
		r.logLost.event(zerolog.ErrorLevel).Err(err).Int64("lost", r.stats.Lost).Msg("recorder: record lost")
		return
	}
	r.stats.Spilled++
}

// lastTickIn returns the time of the latest tick in the spill files at
// paths. A line that does not decode is skipped, as replay skips it.
func lastTickIn(paths []string, log zerolog.Logger) time.Time {
	var last time.Time
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			log.Warn().Err(err).Str("file", p).Msg("recorder: cannot read spill file for its last tick")
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		for sc.Scan() {
			var l line
			if json.Unmarshal(sc.Bytes(), &l) == nil && l.Tick != nil && l.Tick.Time.After(last) {
				last = l.Tick.Time
			}
		}
		f.Close()
	}
	return last
}
