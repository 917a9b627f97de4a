package record

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/qbtrading/qb/lib/market"
)

// The journal holds the orders, fills and positions the host has acted on,
// in Dir, as files of JSON lines named journal-N.jsonl (N grows across
// runs, so sorting the names sorts the entries). An entry is appended and
// fsynced before SaveOrder, SaveFill or SavePosition returns; a background
// feeder then writes the entries to the Durable store, oldest first, and
// deletes a file once the store holds every entry in it.
const journalPattern = "journal-%016d.jsonl"

// journalSegment caps the entries in one journal file, so that a file the
// store has taken can be deleted while the host keeps trading.
const journalSegment = 4096

// entry is one journal line; exactly one of Order, Fill and Position is set.
type entry struct {
	Order    *market.Order    `json:"o,omitempty"`
	Fill     *market.Fill     `json:"f,omitempty"`
	Position *market.Position `json:"p,omitempty"`
	Account  string           `json:"a,omitempty"` // the position's account
}

func (e *entry) what() string {
	switch {
	case e.Order != nil:
		return fmt.Sprintf("order %d (%s)", e.Order.ID, e.Order.Status)
	case e.Fill != nil:
		return fmt.Sprintf("fill of order %d", e.Fill.OrderID)
	case e.Position != nil:
		return fmt.Sprintf("position %s/%s", e.Account, e.Position.Symbol)
	}
	return "empty entry"
}

// segment is one journal file.
type segment struct {
	path    string
	f       *os.File // nil once closed (or for a file of an earlier run)
	size    int64    // bytes of whole entries written
	written int      // entries in the file
	stored  int      // entries the store holds
}

func (s *segment) done() bool { return s.f == nil && s.stored == s.written }

type queued struct {
	e   entry
	seg *segment
}

// journal is the Recorder's local log of trading state and its feeder.
type journal struct {
	dir string

	mu        sync.Mutex
	next      int64         // number of the next journal file
	cur       *segment      // file being appended to; nil before the first entry
	queue     []queued      // entries the store does not hold yet, oldest first
	recovered int           // entries left by an earlier run still in queue
	recDone   chan struct{} // closed once they are all in the store
	closed    bool

	kick chan struct{}
}

// openJournal reads the journal files an earlier run left in dir: their
// entries are queued for the store ahead of this run's.
func openJournal(dir string) (*journal, []error, error) {
	j := &journal{dir: dir, kick: make(chan struct{}, 1), recDone: make(chan struct{})}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("recorder: journal directory: %w", err)
	}
	var names []string
	for _, de := range entries {
		var n int64
		if _, err := fmt.Sscanf(de.Name(), journalPattern, &n); err != nil || de.IsDir() {
			continue
		}
		names = append(names, de.Name())
		j.next = max(j.next, n+1)
	}
	sort.Strings(names)
	var warnings []error
	for _, name := range names {
		seg := &segment{path: filepath.Join(dir, name)}
		raw, err := os.ReadFile(seg.path)
		if err != nil {
			return nil, nil, fmt.Errorf("recorder: read journal: %w", err)
		}
		for lineNo, b := range splitLines(raw) {
			var e entry
			if err := json.Unmarshal(b, &e); err != nil || e.what() == "empty entry" {
				// The torn last line of a crash mid-append: its call never
				// returned, so the host did not act on it.
				warnings = append(warnings, fmt.Errorf("journal %s line %d unreadable, skipped: %v", seg.path, lineNo+1, err))
				continue
			}
			j.queue = append(j.queue, queued{e: e, seg: seg})
			seg.written++
		}
		if seg.written == 0 {
			_ = os.Remove(seg.path)
		}
	}
	j.recovered = len(j.queue)
	if j.recovered == 0 {
		close(j.recDone)
	}
	return j, warnings, nil
}

func splitLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] != '\n' {
			i++
		}
		if i > 0 {
			out = append(out, b[:i])
		}
		if i == len(b) {
			break
		}
		b = b[i+1:]
	}
	return out
}

var errJournalClosed = errors.New("recorder: journal closed")

// append writes e to the current journal file and fsyncs it.
func (j *journal) append(e entry) error {
	line, err := json.Marshal(&e)
	if err != nil {
		return fmt.Errorf("journal %s: %w", e.what(), err)
	}
	line = append(line, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return errJournalClosed
	}
	if j.cur != nil && j.cur.written >= journalSegment {
		j.closeCur()
	}
	if j.cur == nil {
		if err := j.create(); err != nil {
			return err
		}
	}
	s := j.cur
	if _, err := s.f.Write(line); err != nil {
		// Cut the partial line off, so the next entry starts on a line of
		// its own; if that fails too, start a new file.
		if terr := s.f.Truncate(s.size); terr != nil {
			j.closeCur()
		}
		return fmt.Errorf("journal %s: %w", e.what(), err)
	}
	if err := s.f.Sync(); err != nil {
		_ = s.f.Truncate(s.size)
		j.closeCur() // after a failed fsync the file's state is unknown
		return fmt.Errorf("journal %s: fsync: %w", e.what(), err)
	}
	s.size += int64(len(line))
	s.written++
	j.queue = append(j.queue, queued{e: e, seg: s})
	select {
	case j.kick <- struct{}{}:
	default:
	}
	return nil
}

// create opens the next journal file. Called with j.mu held.
func (j *journal) create() error {
	path := filepath.Join(j.dir, fmt.Sprintf(journalPattern, j.next))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("journal: create %s: %w", path, err)
	}
	if err := syncDir(j.dir); err != nil {
		f.Close()
		_ = os.Remove(path)
		return fmt.Errorf("journal: create %s: %w", path, err)
	}
	j.next++
	j.cur = &segment{path: path, f: f}
	return nil
}

// closeCur closes the current file; it is deleted once the store holds its
// entries. Called with j.mu held.
func (j *journal) closeCur() {
	s := j.cur
	j.cur = nil
	_ = s.f.Close()
	s.f = nil
	if s.done() {
		_ = os.Remove(s.path)
	}
}

// peek returns the oldest entry the store does not hold yet.
func (j *journal) peek() (entry, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.queue) == 0 {
		return entry{}, false
	}
	return j.queue[0].e, true
}

// pop records that the store holds the oldest entry, deleting its file when
// it was the file's last.
func (j *journal) pop() {
	j.mu.Lock()
	defer j.mu.Unlock()
	q := j.queue[0]
	j.queue[0] = queued{}
	j.queue = j.queue[1:]
	q.seg.stored++
	if q.seg.done() {
		_ = os.Remove(q.seg.path)
	}
	if j.recovered > 0 {
		j.recovered--
		if j.recovered == 0 {
			close(j.recDone)
		}
	}
}

// pending is how many entries the store does not hold yet.
func (j *journal) pending() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.queue)
}

// close stops appends and closes the current file, deleting it when the
// store holds all it has.
func (j *journal) close() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.closed = true
	if j.cur != nil {
		j.closeCur()
	}
}

// feed writes journal entries to the store, oldest first, until stop is
// closed and nothing is left, or ctx ends.
func (r *Recorder) feed(ctx context.Context, stop <-chan struct{}) {
	j := r.journal
	for {
		e, ok := j.peek()
		if !ok {
			select {
			case <-j.kick:
				continue
			case <-stop:
				if j.pending() == 0 {
					return
				}
				continue
			case <-ctx.Done():
				return
			}
		}
		if err := r.store(ctx, &e); err != nil {
			return // ctx ended: the entry stays in the journal for the next start
		}
		j.pop()
	}
}

// store writes one entry to the Durable store, retrying with backoff until
// it commits or ctx ends. An entry the store refuses as invalid is set aside
// with the market data it refuses.
func (r *Recorder) store(ctx context.Context, e *entry) error {
	backoff := r.cfg.MinBackoff
	for attempt := 1; ; attempt++ {
		var err error
		d := r.cfg.Durable
		switch {
		case e.Order != nil:
			err = d.SaveOrder(ctx, *e.Order)
		case e.Fill != nil:
			err = d.SaveFill(ctx, *e.Fill)
		case e.Position != nil:
			err = d.SavePosition(ctx, e.Account, *e.Position)
		}
		if err == nil {
			r.mu.Lock()
			r.stats.Journaled++
			r.mu.Unlock()
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var fe *market.FieldError
		if errors.As(err, &fe) {
			r.cfg.Log.Error().Err(err).Str("entry", e.what()).Msg("recorder: store refused a journal entry; set aside")
			r.rejectEntry(e)
			return nil
		}
		r.noteFull(err) // a full database halts new orders; the journal keeps the rest
		if attempt == 1 || attempt%20 == 0 {
			r.cfg.Log.Warn().Err(err).Str("entry", e.what()).Int("attempt", attempt).Int("waiting", r.journal.pending()).
				Msg("recorder: store not taking the journal; trading goes on, the journal keeps it")
		}
		if err := r.sleep(ctx, backoff); err != nil {
			return err
		}
		backoff = min(2*backoff, r.cfg.MaxBackoff)
	}
}

// rejectEntry keeps an entry the store refused in this run's dead-letter
// file, for a person to read.
func (r *Recorder) rejectEntry(e *entry) {
	path := filepath.Join(r.cfg.Dir, fmt.Sprintf("rejected-journal-%08d.jsonl", r.run))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err == nil {
		b, _ := json.Marshal(e)
		_, err = f.Write(append(b, '\n'))
		err = errors.Join(err, f.Sync(), f.Close())
	}
	if err != nil {
		r.lost(fmt.Errorf("keep refused journal entry: %w", err))
	}
	r.mu.Lock()
	r.stats.Rejected++
	r.mu.Unlock()
}

// Recover waits until the store holds every journal entry an earlier run
// left (orders, fills and positions it acted on but the store did not have
// when it stopped), so that what is read back from the store is the whole
// truth. Call it after Start and before restoring from the store; it
// returns an error when ctx ends first.
func (r *Recorder) Recover(ctx context.Context) error {
	if r.journal == nil {
		return nil
	}
	select {
	case <-r.journal.recDone:
		return nil
	case <-ctx.Done():
		r.journal.mu.Lock()
		n := r.journal.recovered
		r.journal.mu.Unlock()
		return fmt.Errorf("recorder: the store has not taken %d journal entries of the last run (kept in %s): %w",
			n, r.cfg.Dir, ctx.Err())
	}
}
