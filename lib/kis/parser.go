package kis

import (
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// maxInterned bounds the symbol table so that a hostile or corrupt stream
// cannot grow it without limit; past it, symbols are allocated per record.
const maxInterned = 4096

// Parser turns data frames into records. It keeps a symbol table so that
// parsing a trade does not allocate, and the trading day of the last trade,
// which order-book frames (they carry only HHMMSS) need. A Parser is not safe
// for concurrent use; give each reading goroutine its own.
type Parser struct {
	syms map[string]market.Symbol
	day  [3]int // y, m, d of the last trade frame; zero until one is seen
	now  func() time.Time
}

// NewParser returns a Parser. now supplies the trading day for order-book
// frames that arrive before any trade; nil means time.Now.
func NewParser(now func() time.Time) *Parser {
	if now == nil {
		now = time.Now
	}
	return &Parser{syms: make(map[string]market.Symbol), now: now}
}

// symbol returns b as a Symbol, reusing an earlier string for the same bytes.
func (p *Parser) symbol(b []byte) market.Symbol {
	if s, ok := p.syms[string(b)]; ok {
		return s
	}
	s := market.Symbol(b)
	if len(p.syms) < maxInterned {
		p.syms[string(s)] = s
	}
	return s
}

// today returns the trading day: the last trade's BSOP_DATE, else now in KST.
func (p *Parser) today() (y, m, d int) {
	if p.day[0] != 0 {
		return p.day[0], p.day[1], p.day[2]
	}
	t := p.now().In(market.Seoul)
	return t.Year(), int(t.Month()), t.Day()
}
