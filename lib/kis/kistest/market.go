package kistest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// symbolState is the day's running statistics of one stock, from which the
// server writes H0STCNT0 records as KRX would.
type symbolState struct {
	base                  int64 // previous close: the first trade's price unless SetBase
	open, high, low, last int64
	openAt, highAt, lowAt string
	cumVol, cumValue      int64
	buyCount, sellCount   int64
	buyVol, sellVol       int64
	lastRecord            string // last H0STCNT0 record, for ReplayLastTrade
	minutes               []market.Bar
	daily                 []market.Bar
}

func (s *Server) symbol(sym market.Symbol) *symbolState {
	st, ok := s.market[sym]
	if !ok {
		st = &symbolState{}
		s.market[sym] = st
	}
	return st
}

// SetBase sets a stock's previous close (the reference for change and sign).
func (s *Server) SetBase(sym market.Symbol, prevClose int64) {
	s.mu.Lock()
	s.symbol(sym).base = prevClose
	s.mu.Unlock()
}

// SetDailyBars gives the server a stock's daily history for
// inquire-daily-itemchartprice (any order).
func (s *Server) SetDailyBars(sym market.Symbol, bars []market.Bar) {
	s.mu.Lock()
	s.symbol(sym).daily = append([]market.Bar(nil), bars...)
	s.mu.Unlock()
}

// apply adds a trade to the day's statistics and returns its record.
func (st *symbolState) apply(t market.Tick) string {
	clock := t.Time.In(market.Seoul).Format("150405")
	if st.base == 0 {
		st.base = t.Price
	}
	if st.open == 0 {
		st.open, st.high, st.low = t.Price, t.Price, t.Price
		st.openAt, st.highAt, st.lowAt = clock, clock, clock
	}
	if t.Price > st.high {
		st.high, st.highAt = t.Price, clock
	}
	if t.Price < st.low {
		st.low, st.lowAt = t.Price, clock
	}
	ask, bid := quotes(t)
	aggressor := "5"
	if t.Price >= ask {
		aggressor = "1"
		st.buyCount++
		st.buyVol += t.Volume
	} else {
		st.sellCount++
		st.sellVol += t.Volume
	}
	st.last = t.Price
	st.cumVol += t.Volume
	st.cumValue += t.Volume * t.Price
	st.addMinute(t)
	st.lastRecord = st.record(t, clock, ask, bid, aggressor)
	return st.lastRecord
}

// quotes returns the tick's best ask and bid, or one tick around the price.
func quotes(t market.Tick) (ask, bid int64) {
	ask, bid = t.Ask, t.Bid
	if ask == 0 {
		ask = t.Price
	}
	if bid == 0 {
		bid = t.Price - krx.TickSize(t.Price)
	}
	return ask, bid
}

func sign(d int64) string {
	switch {
	case d > 0:
		return "2"
	case d < 0:
		return "5"
	}
	return "3"
}

func pct(num, den int64) string {
	if den == 0 {
		return "0.00"
	}
	return strconv.FormatFloat(float64(num)*100/float64(den), 'f', 2, 64)
}

// record writes the 46 H0STCNT0 fields (§6).
func (st *symbolState) record(t market.Tick, clock string, ask, bid int64, aggressor string) string {
	i := strconv.FormatInt
	chg := t.Price - st.base
	vwap := "0.00"
	if st.cumVol > 0 {
		vwap = strconv.FormatFloat(float64(st.cumValue)/float64(st.cumVol), 'f', 2, 64)
	}
	f := []string{string(t.Symbol), clock, i(t.Price, 10), sign(chg), i(chg, 10), pct(chg, st.base), vwap,
		i(st.open, 10), i(st.high, 10), i(st.low, 10), i(ask, 10), i(bid, 10), i(t.Volume, 10),
		i(st.cumVol, 10), i(st.cumValue, 10), i(st.sellCount, 10), i(st.buyCount, 10),
		i(st.buyCount-st.sellCount, 10), pct(st.buyVol, st.sellVol), i(st.sellVol, 10), i(st.buyVol, 10),
		aggressor, pct(st.buyVol, st.cumVol), "0.00",
		st.openAt, sign(t.Price - st.open), i(t.Price-st.open, 10),
		st.highAt, sign(t.Price - st.high), i(t.Price-st.high, 10),
		st.lowAt, sign(t.Price - st.low), i(t.Price-st.low, 10),
		t.Time.In(market.Seoul).Format("20060102"), "20", "N", "1000", "1000", "10000", "10000",
		"0.00", "0", "0.00", "0", "", i(st.base, 10)}
	return strings.Join(f, "^")
}

// bookRecord writes 62 H0STASP0 fields (§7.1, the live width) around the
// trade's quotes, a tick apart, 1,000 shares a level.
func bookRecord(t market.Tick, cumVol int64) string {
	ask, bid := quotes(t)
	f := make([]string, 0, 62)
	f = append(f, string(t.Symbol), t.Time.In(market.Seoul).Format("150405"), "0")
	for i, p := 0, ask; i < kis.Levels; i, p = i+1, krx.AddTicks(p, 1) {
		f = append(f, strconv.FormatInt(p, 10))
	}
	for i, p := 0, bid; i < kis.Levels; i, p = i+1, krx.AddTicks(p, -1) {
		f = append(f, strconv.FormatInt(max(p, 0), 10))
	}
	for i := 0; i < 2*kis.Levels; i++ {
		f = append(f, "1000")
	}
	f = append(f, "10000", "10000", "0", "0", "0", "0", "0", "0", "5", "0.00",
		strconv.FormatInt(cumVol, 10), "0", "0", "0", "0", "0", strconv.FormatInt((ask+bid)/2, 10), "0", "1")
	return strings.Join(f, "^")
}

// addMinute folds the trade into today's one-minute bars.
func (st *symbolState) addMinute(t market.Tick) {
	start := market.Min1.Start(t.Time)
	if n := len(st.minutes); n > 0 && st.minutes[n-1].Start.Equal(start) {
		b := &st.minutes[n-1]
		b.High, b.Low, b.Close = max(b.High, t.Price), min(b.Low, t.Price), t.Price
		b.Volume += t.Volume
		return
	}
	st.minutes = append(st.minutes, market.Bar{Symbol: t.Symbol, Timeframe: market.Min1, Start: start,
		Open: t.Price, High: t.Price, Low: t.Price, Close: t.Price, Volume: t.Volume})
}

func frame(tr string, count int, payload string) []byte {
	return []byte(fmt.Sprintf("0|%s|%03d|%s", tr, count, payload))
}

// timeKST formats t for order and notice times.
func hhmmss(t time.Time) string { return t.In(market.Seoul).Format("150405") }
