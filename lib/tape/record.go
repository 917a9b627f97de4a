package tape

import (
	"errors"
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// NextBar reads the next record of a bar file into dst. It returns io.EOF
// after the last record, and an *Error for a bad one; after an error every
// call returns that error.
func (r *Reader) NextBar(dst *market.Bar) error {
	if err := r.next(Bars); err != nil {
		return err
	}
	var b market.Bar
	var err error
	if b.Symbol, err = r.symbol(); err != nil {
		return err
	}
	if b.Start, err = r.time(); err != nil {
		return err
	}
	b.Timeframe = r.opt.Timeframe
	for _, f := range [...]struct {
		c   col
		dst *int64
	}{{colOpen, &b.Open}, {colHigh, &b.High}, {colLow, &b.Low}, {colClose, &b.Close}, {colVolume, &b.Volume}} {
		if *f.dst, err = r.whole(f.c); err != nil {
			return err
		}
	}
	if err := r.checkBar(&b); err != nil {
		return err
	}
	*dst = b
	return nil
}

// timeLayout formats times in error messages.
const timeLayout = time.RFC3339

// timeLayoutTick formats tick times in error messages, fractions included.
const timeLayoutTick = time.RFC3339Nano

// checkBar validates b, its alignment and its order within its symbol.
func (r *Reader) checkBar(b *market.Bar) error {
	if err := b.Validate(); err != nil {
		return r.fieldFail(err)
	}
	timeCol := r.lay.name[colTime]
	if start := b.Timeframe.Start(b.Start); !start.Equal(b.Start) {
		return r.fail(timeCol, fmt.Errorf("%s is not the start of a %s bar (that is %s)",
			b.Start.Format(timeLayout), b.Timeframe, start.Format(timeLayout)))
	}
	b.Start = b.Start.In(market.Seoul)
	if prev, ok := r.last[b.Symbol]; ok && !b.Start.After(prev) {
		return r.fail(timeCol, fmt.Errorf("%s bar %s is not after the previous one, %s",
			b.Symbol, b.Start.Format(timeLayout), prev.Format(timeLayout)))
	}
	r.last[b.Symbol] = b.Start
	return nil
}

// NextTick reads the next record of a tick file into dst. It returns
// io.EOF after the last record, and an *Error for a bad one; after an
// error every call returns that error.
func (r *Reader) NextTick(dst *market.Tick) error {
	if err := r.next(Ticks); err != nil {
		return err
	}
	var t market.Tick
	var err error
	if t.Symbol, err = r.symbol(); err != nil {
		return err
	}
	if t.Time, err = r.time(); err != nil {
		return err
	}
	if t.Price, err = r.whole(colPrice); err != nil {
		return err
	}
	if t.Volume, err = r.whole(colVolume); err != nil {
		return err
	}
	for _, f := range [...]struct {
		c   col
		dst *int64
	}{{colBid, &t.Bid}, {colAsk, &t.Ask}, {colSeq, &t.Seq}} {
		if *f.dst, err = r.optional(f.c); err != nil {
			return err
		}
	}
	if err := t.Validate(); err != nil {
		return r.fieldFail(err)
	}
	t.Time = t.Time.In(market.Seoul)
	// A replay sorts its tape by time, so a tick stamped before the one
	// above it would be moved silently: the file is refused instead.
	if prev, ok := r.last[t.Symbol]; ok && t.Time.Before(prev) {
		return r.fail(r.lay.name[colTime], fmt.Errorf("%s tick %s is before the previous one, %s: a tape must be in time order",
			t.Symbol, t.Time.Format(timeLayoutTick), prev.Format(timeLayoutTick)))
	}
	r.last[t.Symbol] = t.Time
	*dst = t
	return nil
}

// fieldFail turns a market validation error into an error in the column
// that holds the bad field.
func (r *Reader) fieldFail(err error) error {
	var fe *market.FieldError
	if !errors.As(err, &fe) {
		return r.fail("", err)
	}
	c, ok := colNames[fe.Field]
	if fe.Field == "start" {
		c, ok = colTime, true
	}
	if !ok || r.lay.name[c] == "" {
		return r.fail("", err)
	}
	return r.fail(r.lay.name[c], errors.New(fe.Msg))
}
