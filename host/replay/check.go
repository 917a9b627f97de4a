package replay

import (
	"slices"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// tapeCheck counts, per symbol, what a tape holds that a replay accepts
// but a person should hear about: prices off the KRX tick grid, and ticks
// of a symbol no strategy trades and the listing does not know.
type tapeCheck struct {
	syms    []market.Symbol // in order of first appearance
	count   map[market.Symbol]*symCount
	listing *krx.Listing

	last market.Symbol // the previous tick's symbol and its count
	n    *symCount
}

// symCount is one symbol's counts and its market, looked up once.
type symCount struct {
	ticks, offGrid int
	mkt            krx.Market
}

func newTapeCheck(listing *krx.Listing) *tapeCheck {
	return &tapeCheck{listing: listing, count: make(map[market.Symbol]*symCount)}
}

// add counts one tick, as the replay streams it.
func (c *tapeCheck) add(t *market.Tick) {
	if c.n == nil || t.Symbol != c.last {
		c.last = t.Symbol
		if c.n = c.count[c.last]; c.n == nil {
			c.n = &symCount{mkt: krx.KOSPI} // as the engine takes an unlisted symbol
			if st, ok := c.listing.Lookup(c.last); ok && st.Market != krx.UnknownMarket {
				c.n.mkt = st.Market
			}
			c.count[c.last] = c.n
			c.syms = append(c.syms, c.last)
		}
	}
	c.n.ticks++
	if !krx.GridOn(t.Time, c.n.mkt).OnGrid(t.Price) {
		c.n.offGrid++
	}
}

// warn logs one warning per symbol with prices off the grid and one per
// symbol that no strategy trades and the listing does not know, each with
// its counts. Neither stops a replay: split-adjusted daily bars (as in
// testdata/krx/daily) are off the grid of their day, and a fill on them is
// at the adjusted price.
func (c *tapeCheck) warn(log zerolog.Logger, metas []script.Meta, listing *krx.Listing) {
	for _, sym := range c.syms {
		n := c.count[sym]
		if n.offGrid > 0 {
			log.Warn().Str("symbol", string(sym)).Int("off_grid", n.offGrid).Int("prices", n.ticks).
				Msg("data: prices off the KRX tick grid (split-adjusted data is); replayed as given")
		}
		if _, listed := listing.Lookup(sym); listed || traded(metas, sym) {
			continue
		}
		log.Warn().Str("symbol", string(sym)).Int("ticks", n.ticks).
			Msg("data: a symbol no strategy trades and the listing does not know; its ticks were not used")
	}
}

func traded(metas []script.Meta, sym market.Symbol) bool {
	for i := range metas {
		if slices.Contains(metas[i].Symbols, sym) {
			return true
		}
	}
	return false
}
