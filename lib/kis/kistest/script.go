package kistest

import (
	"context"
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Stream publishes every tick received on in until in is closed or ctx
// ends; it returns how many it published. Feed it from lib/tape's reader,
// lib/sim's Run, or TicksFromBars.
func (s *Server) Stream(ctx context.Context, in <-chan market.Tick) int {
	n := 0
	for {
		select {
		case <-ctx.Done():
			return n
		case t, ok := <-in:
			if !ok {
				return n
			}
			s.Publish(t)
			n++
		}
	}
}

// TicksFromBars scripts trades from bars so that a bar CSV can drive the
// server: four prints per bar, open, then the extreme nearer the open,
// the other extreme, and the close, spread over the bar's span, the
// volume split between them (the remainder on the close). A real print has
// at least one share, so a bar of fewer than four shares becomes one print
// at the close, and a bar without volume none.
func TicksFromBars(bars []market.Bar) ([]market.Tick, error) {
	out := make([]market.Tick, 0, 4*len(bars))
	for i := range bars {
		b := &bars[i]
		if err := b.Validate(); err != nil {
			return nil, fmt.Errorf("kistest: bar %d: %w", i, err)
		}
		if b.Volume < 4 {
			if b.Volume > 0 {
				out = append(out, market.Tick{Time: b.Start.Add(time.Duration(b.Timeframe) * 3 / 4), Symbol: b.Symbol, Price: b.Close, Volume: b.Volume})
			}
			continue
		}
		first, second := b.Low, b.High
		if b.High-b.Open < b.Open-b.Low {
			first, second = b.High, b.Low
		}
		step := time.Duration(b.Timeframe) / 4
		vol := b.Volume / 4
		for k, p := range []int64{b.Open, first, second, b.Close} {
			v := vol
			if k == 3 {
				v = b.Volume - 3*vol
			}
			out = append(out, market.Tick{Time: b.Start.Add(time.Duration(k) * step), Symbol: b.Symbol, Price: p, Volume: v})
		}
	}
	return out, nil
}

// Serve runs a server until ctx ends, publishing the ticks that arrive on
// ticks (nil: none) — the body of a "qb kis-server" command. ready, when not
// nil, is called once the server listens, to print its URLs.
func Serve(ctx context.Context, opt Options, ticks <-chan market.Tick, ready func(*Server)) error {
	s, err := New(opt)
	if err != nil {
		return err
	}
	defer s.Close()
	if ready != nil {
		ready(s)
	}
	if ticks != nil {
		s.Stream(ctx, ticks)
	}
	<-ctx.Done()
	return nil
}
