package replay

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/tape"
)

// A Source yields a tape's ticks in replay order, one at a time, so that a
// replay holds no more of the tape than the source buffers.
type Source interface {
	// Next fills t with the next tick, or returns io.EOF after the last.
	Next(t *market.Tick) error
	// Close releases what the source holds open.
	Close() error
}

// SliceSource returns a Source over a tape already in replay order.
func SliceSource(tape []market.Tick) Source { return &sliceSource{tape: tape} }

type sliceSource struct {
	tape []market.Tick
	i    int
}

func (s *sliceSource) Next(t *market.Tick) error {
	if s.i >= len(s.tape) {
		return io.EOF
	}
	*t = s.tape[s.i]
	s.i++
	return nil
}

func (s *sliceSource) Close() error { return nil }

// Collect reads a source to its end into a slice and closes it.
func Collect(src Source) ([]market.Tick, error) {
	defer src.Close()
	var out []market.Tick
	for {
		var t market.Tick
		err := src.Next(&t)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
}

// OpenTapes opens the CSV files of ticks or bars as one Source merged by
// time (see the package doc for the order of ties), inferring the
// timeframe of each bar file (OpenFiles).
func OpenTapes(paths []string) (Source, error) {
	src, _, err := OpenFiles(paths, 0)
	return src, err
}

// FileFrame is the bar timeframe a data file is read with.
type FileFrame struct {
	Path      string
	Symbol    market.Symbol    // the file's symbol when it has no symbol column
	Timeframe market.Timeframe // 0 for a tick file
	Inferred  bool             // read from the file (tape.InferTimeframe), not given
}

// String says what the file holds: "005930.csv: 1m bars (inferred)".
func (f FileFrame) String() string {
	switch {
	case f.Timeframe == 0:
		return f.Path + ": ticks"
	case f.Inferred:
		return fmt.Sprintf("%s: %s bars (inferred)", f.Path, f.Timeframe)
	}
	return fmt.Sprintf("%s: %s bars", f.Path, f.Timeframe)
}

// OpenFiles opens the CSV files of ticks or bars as one Source merged by
// time (see the package doc for the order of ties). Bar files are read as
// bars of tf, or, when tf is 0, of the timeframe each file's first rows
// show (tape.InferTimeframe); the returned frames say which, a file each.
// Each file is read as a stream; only a file with a symbol column is read
// once beforehand, to learn whether its rows are in time order across its
// symbols (see openFile). The source holds, per file, the ticks of the
// current instant and no more.
func OpenFiles(paths []string, tf market.Timeframe) (Source, []FileFrame, error) {
	m := newMerge()
	frames := make([]FileFrame, 0, len(paths))
	for i, p := range paths {
		fr, err := fileFrame(p, tf)
		if err != nil {
			m.Close()
			return nil, nil, err
		}
		frames = append(frames, fr)
		fs, err := openFile(p, i, fr.Timeframe)
		if err != nil {
			m.Close()
			return nil, nil, err
		}
		for _, f := range fs {
			m.feeders.push(f)
		}
	}
	return m, frames, nil
}

// fileFrame learns whether path holds bars and of which timeframe: tf, or
// when 0 the one its first rows show.
func fileFrame(path string, tf market.Timeframe) (FileFrame, error) {
	fr := FileFrame{Path: path}
	fh, err := os.Open(path)
	if err != nil {
		return fr, fmt.Errorf("read data: %w", err)
	}
	defer fh.Close()
	opt := fileOptions(path, 0)
	r, err := tape.NewReader(fh, path, opt)
	if err != nil {
		return fr, err
	}
	if !r.HasSymbol() {
		fr.Symbol = opt.Symbol
	}
	if r.Kind() != tape.Bars {
		return fr, nil
	}
	if tf != 0 {
		fr.Timeframe = tf
		return fr, nil
	}
	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		return fr, fmt.Errorf("read data: %w", err)
	}
	if fr.Timeframe, err = tape.InferTimeframe(fh, path, opt); err != nil {
		return fr, err
	}
	fr.Inferred = true
	return fr, nil
}

// fileOptions are the tape options of a data file: its symbol from its
// name, if that is one, and the timeframe of its bars.
func fileOptions(path string, tf market.Timeframe) tape.Options {
	opt := tape.Options{Timeframe: tf}
	if sym, err := tape.SymbolFromPath(path); err == nil {
		opt.Symbol = sym
	}
	return opt
}

// openFile returns the feeders of one file. A file without a symbol column
// holds one symbol, whose rows lib/tape returns in time order: one feeder
// reads it. A file with one scans it first: if its rows are in time order
// overall one feeder reads it again; if not (a file of several symbols one
// after another, say), it gets a feeder per symbol, each reading the whole
// file for its symbol's rows, which lib/tape keeps in time order. Memory
// stays bounded either way, at the cost of a pass per symbol for such a file.
func openFile(path string, file int, tf market.Timeframe) ([]*feeder, error) {
	f, r, err := openFeeder(path, file, "", tf)
	if err != nil {
		return nil, err
	}
	if !r.HasSymbol() {
		return []*feeder{f}, nil
	}
	sorted, syms, err := scanFile(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	if sorted {
		f, _, err := openFeeder(path, file, "", tf)
		if err != nil {
			return nil, err
		}
		return []*feeder{f}, nil
	}
	out := make([]*feeder, 0, len(syms))
	for _, sym := range syms {
		f, _, err := openFeeder(path, file, sym, tf)
		if err != nil {
			for _, f := range out {
				f.Close()
			}
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// scanFile reads f to its end and says whether its rows are in time order
// and which symbols it holds, in order of first appearance.
func scanFile(f *feeder) (sorted bool, syms []market.Symbol, err error) {
	seen := make(map[market.Symbol]bool)
	sorted = true
	var last time.Time
	for {
		var at time.Time
		var sym market.Symbol
		var err error
		f.buf, at, sym, err = f.row(f.buf[:0])
		if errors.Is(err, io.EOF) {
			return sorted, syms, nil
		}
		if err != nil {
			return false, nil, err
		}
		if at.Before(last) {
			sorted = false
		}
		last = at
		if !seen[sym] {
			seen[sym] = true
			syms = append(syms, sym)
		}
	}
}

// rows is what a feeder reads: rows in time order per symbol, and, unless
// several feeders share the file, in time order overall.
type rows interface {
	// row appends the next row's ticks (four for a bar) to buf and returns
	// the row's time (a bar's start) and symbol; io.EOF after the last.
	row(buf []market.Tick) ([]market.Tick, time.Time, market.Symbol, error)
	Close() error
}

// feeder reads the rows of one file, in file order, into its lanes.
type feeder struct {
	rows
	file  int       // the file's place on the command line
	mark  time.Time // the last row's time: no later row's ticks are earlier
	lanes map[market.Symbol]*lane
	buf   []market.Tick // the last row's ticks
}

func newFeeder(r rows, file int) *feeder {
	return &feeder{rows: r, file: file, lanes: make(map[market.Symbol]*lane)}
}

// fileRows reads a CSV file's rows, or those of one symbol.
type fileRows struct {
	r    *tape.Reader
	c    io.Closer
	only market.Symbol // the one symbol to read; "" for all
}

func openFeeder(path string, file int, only market.Symbol, tf market.Timeframe) (*feeder, *tape.Reader, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read data: %w", err)
	}
	r, err := tape.NewReader(fh, path, fileOptions(path, tf))
	if err != nil {
		fh.Close()
		return nil, nil, err
	}
	return newFeeder(&fileRows{r: r, c: fh, only: only}, file), r, nil
}

func (f *fileRows) row(buf []market.Tick) ([]market.Tick, time.Time, market.Symbol, error) {
	for {
		if f.r.Kind() == tape.Bars {
			var b market.Bar
			if err := f.r.NextBar(&b); err != nil {
				return buf, time.Time{}, "", err
			}
			if f.only != "" && b.Symbol != f.only {
				continue
			}
			return BarTicks(&b, buf), b.Timeframe.Start(b.Start), b.Symbol, nil
		}
		var t market.Tick
		if err := f.r.NextTick(&t); err != nil {
			return buf, time.Time{}, "", err
		}
		if f.only != "" && t.Symbol != f.only {
			continue
		}
		return append(buf, t), t.Time, t.Symbol, nil
	}
}

func (f *fileRows) Close() error { return f.c.Close() }

// lane queues the read but not yet replayed ticks of one symbol of one
// file, in row order, which is time order.
type lane struct {
	q    []market.Tick
	head int
	file int
	in   bool // in the merge's heap
}

// push appends t, first moving the queue to the front of its array when
// the array is full, so the array stays within twice the queue's length.
func (l *lane) push(t market.Tick) {
	if l.head > 0 && len(l.q) == cap(l.q) {
		n := copy(l.q, l.q[l.head:])
		l.q, l.head = l.q[:n], 0
	}
	l.q = append(l.q, t)
}

// laneBefore orders lanes by their first ticks as mergeTapes did: time,
// then symbol, then file. A file's symbol has one lane, whose ticks stay in
// row order.
func laneBefore(a, b *lane) bool {
	x, y := &a.q[a.head], &b.q[b.head]
	if c := x.Time.Compare(y.Time); c != 0 {
		return c < 0
	}
	if c := cmp.Compare(x.Symbol, y.Symbol); c != 0 {
		return c < 0
	}
	return a.file < b.file
}

// merge is a k-way merge of the lanes of all feeders. A lane's tick is
// replayed only when every feeder still reading has read past its time, so
// no later row can come before it.
type merge struct {
	feeders heap[*feeder] // still reading, by mark
	lanes   heap[*lane]   // not empty, by first tick
	err     error
}

func newMerge() *merge {
	m := &merge{}
	m.feeders.less = func(a, b *feeder) bool { return a.mark.Before(b.mark) }
	m.lanes.less = laneBefore
	return m
}

// Next returns the next tick in replay order.
func (m *merge) Next(t *market.Tick) error {
	if m.err != nil {
		return m.err
	}
	for len(m.feeders.s) > 0 {
		f := m.feeders.s[0]
		if len(m.lanes.s) > 0 && f.mark.After(m.lanes.s[0].q[m.lanes.s[0].head].Time) {
			break
		}
		if err := m.read(f); err != nil {
			m.err = err
			return err
		}
	}
	if len(m.lanes.s) == 0 {
		return io.EOF
	}
	l := m.lanes.s[0]
	*t = l.q[l.head]
	l.head++
	if l.head == len(l.q) {
		l.in = false
		m.lanes.pop()
	} else {
		m.lanes.fix0()
	}
	return nil
}

// read reads one row of f into its lane, or retires f at its end.
func (m *merge) read(f *feeder) error {
	var at time.Time
	var sym market.Symbol
	var err error
	f.buf, at, sym, err = f.row(f.buf[:0])
	if errors.Is(err, io.EOF) {
		m.feeders.pop()
		return f.Close()
	}
	if err != nil {
		return err
	}
	f.mark = at
	m.feeders.fix0()
	l := f.lanes[sym]
	if l == nil {
		l = &lane{file: f.file}
		f.lanes[sym] = l
	}
	for _, t := range f.buf {
		l.push(t)
	}
	if !l.in {
		l.in = true
		m.lanes.push(l)
	}
	return nil
}

// Close closes the files still open.
func (m *merge) Close() error {
	var errs []error
	for _, f := range m.feeders.s {
		errs = append(errs, f.Close())
	}
	m.feeders.s = nil
	return errors.Join(errs...)
}

// heap is a binary min-heap under less.
type heap[T any] struct {
	s    []T
	less func(a, b T) bool
}

func (h *heap[T]) push(x T) {
	h.s = append(h.s, x)
	for i := len(h.s) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(h.s[i], h.s[p]) {
			break
		}
		h.s[i], h.s[p] = h.s[p], h.s[i]
		i = p
	}
}

func (h *heap[T]) pop() {
	n := len(h.s) - 1
	h.s[0] = h.s[n]
	var zero T
	h.s[n] = zero
	h.s = h.s[:n]
	if n > 0 {
		h.fix0()
	}
}

// fix0 restores the order after the top's key grew.
func (h *heap[T]) fix0() {
	for i := 0; ; {
		c := 2*i + 1
		if c >= len(h.s) {
			return
		}
		if r := c + 1; r < len(h.s) && h.less(h.s[r], h.s[c]) {
			c = r
		}
		if !h.less(h.s[c], h.s[i]) {
			return
		}
		h.s[i], h.s[c] = h.s[c], h.s[i]
		i = c
	}
}
