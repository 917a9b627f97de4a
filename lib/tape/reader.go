package tape

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Options says what a file does not.
type Options struct {
	// Symbol is given to every record of a file without a symbol column.
	Symbol market.Symbol
	// Timeframe of the bars in a bar file; 1d when zero.
	Timeframe market.Timeframe
}

// Reader streams the records of one CSV file. It is not safe for
// concurrent use.
type Reader struct {
	csv     *csv.Reader
	name    string
	opt     Options
	lay     layout
	rec     []string // current record
	pending bool     // rec holds the first record of a headerless file
	line    int      // line of the current record
	sym     market.Symbol
	last    map[market.Symbol]time.Time // bars: latest start per symbol
	err     error                       // sticky: once set, every Next returns it
}

// NewReader reads the header of r (or finds there is none) and returns a
// Reader for the records. name is used in errors, usually the file's path.
func NewReader(r io.Reader, name string, opt Options) (*Reader, error) {
	if opt.Timeframe == 0 {
		opt.Timeframe = market.Day1
	}
	if !opt.Timeframe.Valid() {
		return nil, &Error{Name: name, Err: fmt.Errorf("timeframe %s is not supported", opt.Timeframe)}
	}
	if opt.Symbol != "" {
		if err := opt.Symbol.Validate(); err != nil {
			return nil, &Error{Name: name, Err: fmt.Errorf("options: %w", err)}
		}
	}
	br := bufio.NewReader(newLineCap(r, MaxLine))
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	tr := &Reader{csv: cr, name: name, opt: opt, last: make(map[market.Symbol]time.Time)}
	if err := tr.readHeader(); err != nil {
		return nil, err
	}
	return tr, nil
}

func (r *Reader) readHeader() error {
	if err := r.read(); err != nil {
		if errors.Is(err, io.EOF) {
			return &Error{Name: r.name, Err: errors.New("empty file: no header and no records")}
		}
		return err
	}
	if _, err := parseTime(r.rec[0]); err == nil {
		r.lay, r.pending = headerless(), true
	} else {
		lay, err := parseHeader(r.rec)
		if err != nil {
			return &Error{Name: r.name, Line: r.line, Err: err}
		}
		r.lay = lay
	}
	if r.lay.index[colSymbol] < 0 && r.opt.Symbol == "" {
		return &Error{Name: r.name, Line: r.line, Err: errors.New("no symbol column and no symbol given (Options.Symbol)")}
	}
	return nil
}

// Kind says whether the file holds ticks or bars.
func (r *Reader) Kind() Kind { return r.lay.kind }

// HasSymbol says whether the file has a symbol column, so that it may hold
// several symbols; without one every record has Options.Symbol.
func (r *Reader) HasSymbol() bool { return r.lay.index[colSymbol] >= 0 }

// read reads the next record into r.rec and its line into r.line.
func (r *Reader) read() error {
	rec, err := r.csv.Read()
	if err != nil {
		var pe *csv.ParseError
		switch {
		case errors.Is(err, io.EOF):
			return io.EOF
		case errors.As(err, &pe):
			return &Error{Name: r.name, Line: pe.Line, Err: fmt.Errorf("byte %d: %w", pe.Column, pe.Err)}
		}
		var long *lineTooLong
		if errors.As(err, &long) {
			return &Error{Name: r.name, Line: long.line, Err: fmt.Errorf("longer than %d KiB", MaxLine>>10)}
		}
		return &Error{Name: r.name, Err: fmt.Errorf("read: %w", err)}
	}
	r.rec = rec
	r.line, _ = r.csv.FieldPos(0)
	return nil
}

// next moves to the next data record, checking it is wide enough.
func (r *Reader) next(want Kind) error {
	if r.err != nil {
		return r.err
	}
	if r.lay.kind != want {
		return &Error{Name: r.name, Err: fmt.Errorf("holds %s, not %s", r.lay.kind, want)}
	}
	if r.pending {
		r.pending = false
	} else if err := r.read(); err != nil {
		r.err = err
		return err
	}
	if len(r.rec) < r.lay.width {
		return r.fail("", fmt.Errorf("%d fields, want at least %d", len(r.rec), r.lay.width))
	}
	return nil
}

// fail records a sticky error at the current line in column c's name.
func (r *Reader) fail(column string, err error) error {
	r.err = &Error{Name: r.name, Line: r.line, Column: column, Err: err}
	return r.err
}

// field returns the cell of column c, "" if the file has no such column.
func (r *Reader) field(c col) string {
	if i := r.lay.index[c]; i >= 0 {
		return r.rec[i]
	}
	return ""
}

func (r *Reader) whole(c col) (int64, error) {
	n, err := parseWhole(r.field(c))
	if err != nil {
		return 0, r.fail(r.lay.name[c], err)
	}
	return n, nil
}

// optional reads a column that may be absent or empty (0).
func (r *Reader) optional(c col) (int64, error) {
	if strings.TrimSpace(r.field(c)) == "" {
		return 0, nil
	}
	return r.whole(c)
}

func (r *Reader) time() (time.Time, error) {
	t, err := parseTime(r.field(colTime))
	if err != nil {
		return t, r.fail(r.lay.name[colTime], err)
	}
	return t, nil
}

// symbol returns the record's symbol, reusing the previous one when equal
// so that a record's memory is not kept alive by its symbol.
func (r *Reader) symbol() (market.Symbol, error) {
	if r.lay.index[colSymbol] < 0 {
		return r.opt.Symbol, nil
	}
	f := strings.TrimSpace(r.field(colSymbol))
	if f == string(r.sym) {
		return r.sym, nil
	}
	sym, err := market.ParseSymbol(f)
	if err != nil {
		return "", r.fail(r.lay.name[colSymbol], err)
	}
	r.sym = market.Symbol(strings.Clone(string(sym)))
	return r.sym, nil
}
