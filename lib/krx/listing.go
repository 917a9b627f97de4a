package krx

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/encoding/korean"

	"github.com/qbtrading/qb/lib/market"
)

// Stock is what qb knows of one listed symbol.
type Stock struct {
	Symbol market.Symbol
	Name   string
	Market Market
	Sector string    // free text; may be empty
	Listed time.Time // KST midnight of the day first listed on KRX; zero when unknown
}

// Listing maps symbols to their stocks, for the market that decides a
// sale's taxes. Its methods are safe for concurrent use.
type Listing struct {
	stocks    map[market.Symbol]Stock
	onUnknown func(market.Symbol)

	mu     sync.Mutex
	warned map[market.Symbol]bool
}

// NewListing returns a listing of stocks; a later entry for a symbol
// replaces an earlier one, so a listing can be layered (defaults, then the
// store, then a file). onUnknown, if not nil, is called the first time
// Market is asked about each symbol the listing does not know.
func NewListing(stocks []Stock, onUnknown func(sym market.Symbol)) *Listing {
	l := &Listing{stocks: make(map[market.Symbol]Stock, len(stocks)), onUnknown: onUnknown}
	for _, s := range stocks {
		l.stocks[s.Symbol] = s
	}
	return l
}

// Lookup returns the stock of sym and whether the listing knows it.
func (l *Listing) Lookup(sym market.Symbol) (Stock, bool) {
	if l == nil {
		return Stock{}, false
	}
	s, ok := l.stocks[sym]
	return s, ok
}

// Len is the number of symbols listed.
func (l *Listing) Len() int {
	if l == nil {
		return 0
	}
	return len(l.stocks)
}

// Grid returns the tick-size table of sym at t (see GridOn).
func (l *Listing) Grid(t time.Time, sym market.Symbol) Grid {
	if !t.Before(unifiedFrom) {
		return Unified // every market's since 2023: no lookup needed
	}
	return GridOn(t, l.Market(sym))
}

// Market returns the market of sym. A symbol the listing does not know, or
// one listed with an unknown market, is KOSPI; the first time for each
// such symbol it calls the listing's onUnknown. A nil listing is KOSPI for
// every symbol, silently.
func (l *Listing) Market(sym market.Symbol) Market {
	if l == nil {
		return KOSPI
	}
	if s, ok := l.stocks[sym]; ok && s.Market != UnknownMarket {
		return s.Market
	}
	l.mu.Lock()
	first := !l.warned[sym]
	if first {
		if l.warned == nil {
			l.warned = make(map[market.Symbol]bool)
		}
		l.warned[sym] = true
	}
	l.mu.Unlock()
	if first && l.onUnknown != nil {
		l.onUnknown(sym)
	}
	return KOSPI
}

// ListingHeader is the header line of a listing CSV file.
const ListingHeader = "symbol,name,market,sector,listed"

// ReadListing reads a listing CSV: the header line ListingHeader, then one
// stock a line. symbol is the KRX short code, name is required, market is
// KOSPI, KOSDAQ or KONEX (any case), sector is free text and may be empty,
// listed is YYYY-MM-DD or empty. Lines starting with # are comments. A
// symbol may appear once. name is used in errors, which read
// "name:line: field: problem".
func ReadListing(r io.Reader, name string) ([]Stock, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	seen := map[market.Symbol]int{}
	var out []Stock
	header := false
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("read listing: %s:%d: %w", name, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("read listing: %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if !header {
			if got := strings.Join(rec, ","); strings.TrimPrefix(got, "\ufeff") != ListingHeader {
				return nil, fmt.Errorf("read listing: %s:%d: header %q: want %q", name, line, got, ListingHeader)
			}
			header = true
			continue
		}
		s, field, err := parseStock(rec)
		if err != nil {
			return nil, fmt.Errorf("read listing: %s:%d: %s: %w", name, line, field, err)
		}
		if prev, dup := seen[s.Symbol]; dup {
			return nil, fmt.Errorf("read listing: %s:%d: symbol: %s already listed on line %d", name, line, s.Symbol, prev)
		}
		seen[s.Symbol] = line
		out = append(out, s)
	}
	if !header {
		return nil, fmt.Errorf("read listing: %s: empty; want the header %q", name, ListingHeader)
	}
	return out, nil
}

// parseStock reads one record; on error it names the bad field.
func parseStock(rec []string) (Stock, string, error) {
	if len(rec) != 5 {
		return Stock{}, "record", fmt.Errorf("%d fields, want 5 (%s)", len(rec), ListingHeader)
	}
	var s Stock
	s.Symbol = market.Symbol(strings.TrimSpace(rec[0]))
	if err := s.Symbol.Validate(); err != nil {
		return Stock{}, "symbol", err
	}
	if s.Name = strings.TrimSpace(rec[1]); s.Name == "" {
		return Stock{}, "name", errors.New("empty")
	}
	m, err := ParseMarket(strings.TrimSpace(rec[2]))
	if err != nil {
		return Stock{}, "market", err
	}
	s.Market = m
	s.Sector = strings.TrimSpace(rec[3])
	if d := strings.TrimSpace(rec[4]); d != "" {
		if s.Listed, err = time.ParseInLocation(time.DateOnly, d, market.Seoul); err != nil {
			return Stock{}, "listed", fmt.Errorf("%q: want YYYY-MM-DD", d)
		}
	}
	return s, "", nil
}

// The KIS master files (kospi_code.mst, kosdaq_code.mst, from KIS's
// download server) hold one fixed-width record a line, in cp949 (Korean
// Windows, a superset of EUC-KR). The layout, as KIS's own parsers read it
// (github.com/koreainvestment/open-trading-api, stocks_info/
// kis_kospi_code_mst.py at 343e953 and kis_kosdaq_code_mst.py at 03ff288):
//
//	bytes 0–8    short code (단축코드), space-padded: "005930   "
//	bytes 9–20   standard code (표준코드, ISIN): "KR7005930003"
//	bytes 21–    Korean name (한글명), up to the fixed tail
//	tail         KOSPI: the last 227 bytes, KOSDAQ: the last 221, all
//	             ASCII: 2 group code (ST stock, EF ETF, ...), then flags
//	             and figures; the listing date (상장일자, YYYYMMDD) is at
//	             tail offset 105 (KOSPI) or 100 (KOSDAQ)
//
// Only the code, the name and the listing date are read. The tail's sector
// fields are KRX index-sector codes, not names, so Sector stays empty.
var masterLayouts = map[Market]struct{ tail, listed int }{
	KOSPI:  {tail: 227, listed: 105},
	KOSDAQ: {tail: 221, listed: 100},
}

// ReadKISMaster reads a KIS master file of market m (KOSPI or KOSDAQ) in
// the layout above. Records whose short code is not a six-character KRX
// code are skipped. name is used in errors, which read
// "name:line: field: problem".
func ReadKISMaster(r io.Reader, name string, m Market) ([]Stock, error) {
	lay, ok := masterLayouts[m]
	if !ok {
		return nil, fmt.Errorf("read KIS master %s: market %s: want KOSPI or KOSDAQ", name, m)
	}
	dec := korean.EUCKR.NewDecoder()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1024), 64*1024)
	var out []Stock
	for line := 1; sc.Scan(); line++ {
		rec := bytes.TrimRight(sc.Bytes(), "\r")
		if len(rec) == 0 {
			continue
		}
		if len(rec) < 21+lay.tail {
			return nil, fmt.Errorf("read KIS master: %s:%d: record: %d bytes, want at least %d (%s layout)",
				name, line, len(rec), 21+lay.tail, m)
		}
		sym := market.Symbol(strings.TrimSpace(string(rec[:9])))
		if sym.Validate() != nil {
			continue
		}
		head, tail := rec[21:len(rec)-lay.tail], rec[len(rec)-lay.tail:]
		kname, err := dec.Bytes(head)
		if err != nil {
			return nil, fmt.Errorf("read KIS master: %s:%d: name: not cp949: %w", name, line, err)
		}
		s := Stock{Symbol: sym, Name: strings.TrimSpace(string(kname)), Market: m}
		if d := strings.TrimSpace(string(tail[lay.listed : lay.listed+8])); d != "" && strings.Trim(d, "0") != "" {
			if s.Listed, err = time.ParseInLocation("20060102", d, market.Seoul); err != nil {
				return nil, fmt.Errorf("read KIS master: %s:%d: listed: %q: want YYYYMMDD", name, line, d)
			}
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read KIS master: %s: %w", name, err)
	}
	return out, nil
}

//go:embed listing.csv
var defaultListing []byte

// DefaultStocks is the listing built into qb: every symbol of its test data
// and simulator, with its real market (listing.csv in this package; see
// testdata/krx/README.md for where its facts come from).
func DefaultStocks() []Stock {
	s, err := ReadListing(bytes.NewReader(defaultListing), "lib/krx/listing.csv")
	if err != nil {
		panic(err) // the file is part of the source; a test reads it
	}
	return s
}
