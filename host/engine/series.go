package engine

import (
	"slices"

	"github.com/qbtrading/qb/lib/bar"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/ta"
)

// series is one symbol's bars of one timeframe: the builder of the
// forming bar, every closed bar up to a cap, the strategies that want
// them, and the indicators strategies asked for over them.
type series struct {
	sym  market.Symbol
	tf   market.Timeframe
	b    *bar.Builder
	ring []market.Bar // grows to capacity max; oldest at head once full
	max  int          // History: the most bars kept
	head int
	n    int
	// dropped counts the bars that left a full ring: an indicator created
	// after the first drop starts later than the series and may differ.
	dropped int64
	subs    []*strat // strategies wanting on_bar, in name order
	inds    []*indicator
}

// firstRing is the ring's first capacity. It doubles as bars arrive, so a
// series costs what it holds; it never grows per tick, only after as many
// bars as it already holds.
const firstRing = 256

// indicator is a streaming lib/ta indicator kept up to date over a
// series, shared by every strategy asking with the same name and params.
type indicator struct {
	name   string
	params []float64
	ind    ta.Indicator
	multi  ta.Multi // ind, when it has several outputs
}

func newSeries(sym market.Symbol, tf market.Timeframe, history int) *series {
	return &series{sym: sym, tf: tf, b: bar.NewBuilder(sym, tf), max: history,
		ring: make([]market.Bar, min(history, firstRing))}
}

// push stores a closed bar and feeds the indicators.
func (sr *series) push(b *market.Bar) {
	if sr.n == len(sr.ring) && sr.n < sr.max {
		sr.grow()
	}
	switch {
	case len(sr.ring) == 0:
		sr.dropped++
	case sr.n < len(sr.ring):
		sr.ring[(sr.head+sr.n)%len(sr.ring)] = *b
		sr.n++
	default:
		sr.ring[sr.head] = *b
		sr.head = (sr.head + 1) % len(sr.ring)
		sr.dropped++
	}
	in := ta.FromBar(*b)
	for _, ind := range sr.inds {
		ind.ind.UpdateBar(in)
	}
}

// grow doubles the full ring's capacity, up to max, oldest bar first.
func (sr *series) grow() {
	ring := make([]market.Bar, min(2*len(sr.ring), sr.max))
	sr.last(sr.n, ring[:0])
	sr.ring, sr.head = ring, 0
}

// at returns the i-th kept bar, oldest first.
func (sr *series) at(i int) *market.Bar { return &sr.ring[(sr.head+i)%len(sr.ring)] }

// last appends the last n closed bars, oldest first, to dst.
func (sr *series) last(n int, dst []market.Bar) []market.Bar {
	n = min(max(n, 0), sr.n)
	for i := sr.n - n; i < sr.n; i++ {
		dst = append(dst, *sr.at(i))
	}
	return dst
}

// indicator returns the cached indicator (name, params), creating it and
// warming it up from the kept bars on first use: every bar the series
// closed while it has dropped none, so the indicator's values are those
// it would have had had it been asked for at the first bar.
// fresh reports that this call created it.
func (sr *series) indicator(name string, params []float64) (ind *indicator, fresh bool, err error) {
	for _, ind := range sr.inds {
		if ind.name == name && slices.Equal(ind.params, params) {
			return ind, false, nil
		}
	}
	ti, err := ta.New(name, params)
	if err != nil {
		return nil, false, err
	}
	ind = &indicator{name: name, params: slices.Clone(params), ind: ti}
	ind.multi, _ = ti.(ta.Multi)
	for i := range sr.n {
		ti.UpdateBar(ta.FromBar(*sr.at(i)))
	}
	sr.inds = append(sr.inds, ind)
	return ind, true, nil
}

// values appends the indicator's outputs to out: every output of a
// multi-output indicator, else its value.
func (ind *indicator) values(out []float64) []float64 {
	if ind.multi == nil {
		return append(out, ind.ind.Value())
	}
	for i := range ind.multi.Outputs() {
		out = append(out, ind.multi.Output(i))
	}
	return out
}
