package stats

import (
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// span is the time between the first and the last equity point; exposure
// is measured inside it.
type span struct {
	from, to time.Time
	ok       bool
}

func window(eq []Point) span {
	if len(eq) == 0 {
		return span{}
	}
	return span{from: eq[0].Time, to: eq[len(eq)-1].Time, ok: true}
}

// overlap is the part of [a, b] that lies inside the span.
func (s span) overlap(a, b time.Time) time.Duration {
	if a.Before(s.from) {
		a = s.from
	}
	if b.After(s.to) {
		b = s.to
	}
	if !s.ok || !b.After(a) {
		return 0
	}
	return b.Sub(a)
}

// trip is one symbol's position and the cash its open round trip has made.
type trip struct {
	pos  market.Position
	cash int64
}

// tally accumulates round trips and exposure over the fills.
type tally struct {
	fills, trips, wins, losses int
	fees, taxes, profit, loss  int64
	open                       int           // symbols with a non-zero position
	since                      time.Time     // when open last went from 0 to 1
	exposed                    time.Duration // inside the span
	span                       span
}

// walkFills replays the fills in the order given, skipping invalid ones and
// sells of more than is held.
func walkFills(fills []market.Fill, s span) tally {
	t := tally{span: s}
	book := make(map[market.Symbol]*trip)
	for i := range fills {
		f := &fills[i]
		if f.Validate() != nil {
			continue
		}
		tr := book[f.Symbol]
		if tr == nil {
			tr = &trip{pos: market.Position{Symbol: f.Symbol}}
			book[f.Symbol] = tr
		}
		before := tr.pos.Qty
		if tr.pos.Apply(f) != nil {
			continue
		}
		t.fills++
		t.fees += f.Fee
		t.taxes += f.Tax
		tr.cash += f.CashDelta()
		t.step(before, tr, f.Time)
	}
	if t.open > 0 {
		t.exposed += s.overlap(t.since, s.to)
	}
	return t
}

// step books the effect of a fill that moved a position from before to
// tr.pos.Qty at time at.
func (t *tally) step(before int64, tr *trip, at time.Time) {
	switch after := tr.pos.Qty; {
	case before == 0 && after != 0:
		if t.open == 0 {
			t.since = at
		}
		t.open++
	case before != 0 && after == 0:
		t.open--
		if t.open == 0 {
			t.exposed += t.span.overlap(t.since, at)
		}
		t.close(tr.cash)
		tr.cash = 0
	}
}

// close books one finished round trip with P&L pnl.
func (t *tally) close(pnl int64) {
	t.trips++
	switch {
	case pnl > 0:
		t.wins++
		t.profit += pnl
	case pnl < 0:
		t.losses++
		t.loss += pnl
	}
}

// fill copies the tally into r, turning counts into rates.
func (t *tally) fill(r *Report) {
	r.Fills, r.Fees, r.Taxes = t.fills, t.fees, t.taxes
	r.RoundTrips, r.Wins, r.Losses = t.trips, t.wins, t.losses
	r.GrossProfit, r.GrossLoss, r.OpenTrips = t.profit, t.loss, t.open
	if t.trips > 0 {
		r.WinRate = float64(t.wins) / float64(t.trips)
	}
	if t.wins > 0 {
		r.AvgWin = float64(t.profit) / float64(t.wins)
	}
	if t.losses > 0 {
		r.AvgLoss = float64(t.loss) / float64(t.losses)
		r.ProfitFactor = float64(t.profit) / float64(-t.loss)
	}
	if total := t.span.to.Sub(t.span.from); t.span.ok && total > 0 {
		r.Exposure = min(1, float64(t.exposed)/float64(total))
	}
}
