package krx

import (
	"fmt"
	"strings"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Market is the KRX market a stock is listed on. It decides its sell
// taxes: KOSPI sales pay the securities transaction tax and the rural
// special tax, KOSDAQ and KONEX sales the transaction tax alone.
type Market uint8

// The markets. UnknownMarket is the zero value: a symbol no listing knows.
const (
	UnknownMarket Market = iota
	KOSPI                // 유가증권시장
	KOSDAQ               // 코스닥시장
	KONEX                // 코넥스시장
)

var marketNames = [...]string{UnknownMarket: "unknown", KOSPI: "KOSPI", KOSDAQ: "KOSDAQ", KONEX: "KONEX"}

// String is the market's name: "KOSPI", "KOSDAQ", "KONEX" or "unknown".
func (m Market) String() string {
	if int(m) < len(marketNames) {
		return marketNames[m]
	}
	return fmt.Sprintf("Market(%d)", m)
}

// ParseMarket reads a market name, in any case: KOSPI, KOSDAQ or KONEX.
func ParseMarket(s string) (Market, error) {
	for m := KOSPI; m <= KONEX; m++ {
		if strings.EqualFold(s, marketNames[m]) {
			return m, nil
		}
	}
	return UnknownMarket, fmt.Errorf("%q: want KOSPI, KOSDAQ or KONEX", s)
}

// taxPeriod is the sell-tax rates in force from one trade date on.
//
// The tax is levied on the transfer of the shares (증권거래세법 제2조),
// and a listed share is transferred when the trade settles, on the second
// trading day after it (T+2; 시행령 제2조: 양도시기는 대금결제일). A rate
// change "from 1 January" therefore applies to trades that settle from
// then, which KRX, the Korea Securities Depository (KSD) and the brokers
// announce as the first trade (contract) date taxed at the new rate. qb
// stamps fills with their trade time, so the table is keyed by that trade
// date (KST), and settles records the legal effective date it comes from.
type taxPeriod struct {
	from    int  // first trade date, yyyymmdd, KST
	settles int  // the decree's effective date: transfers (settlements) from this day
	kospi   Rate // securities transaction tax, KOSPI
	rural   Rate // rural special tax (농어촌특별세), KOSPI only
	kosdaq  Rate // securities transaction tax, KOSDAQ
	konex   Rate // securities transaction tax, KONEX
}

// taxTable is the dated schedule, oldest first. Every rate is a flexible
// rate of the Enforcement Decree of the Securities Transaction Tax Act
// (증권거래세법 시행령 제5조); the rural special tax is 0.15 % of the value
// of KOSPI sales throughout (농어촌특별세법 제5조). Sources, checked in
// December 2026:
//
//   - Before 2019-05-30: KOSPI 0.15 % + 0.15 %, KOSDAQ and KONEX 0.30 %,
//     unchanged since April 1996 (fntimes.com 2019-04-02, "1996년부터 현행과
//     동일한 세율"; mt.co.kr 2023-01-03; Korea Times 2019-03-21).
//   - 2019-05-30: decree amended by the Cabinet on 2019-05-21, in force for
//     transfers from 2019-06-03; KOSPI 0.10 %, KOSDAQ 0.25 %, KONEX 0.10 %.
//     KSD: "5월 30일 매매체결분부터" (cnbnews.com, kukinews.com 2019-05-27;
//     etnews.com, hankookilbo.com 2019-05-21; yna.co.kr 2019-05-21).
//   - 2020-12-29: 2020 tax revision (MOEF, 2020-07-22), transfers from
//     2021-01-01; KOSPI 0.08 %, KOSDAQ 0.23 %. KRX: trades of 2020-12-29
//     settle on 2021-01-04 because 12-31 is closed (edaily.co.kr
//     2020-12-29); KONEX 0.10 % unchanged (cpa-mk.tistory.com, the decree
//     as of 2021-01-01).
//   - 2022-12-28: transfers from 2023-01-01; KOSPI 0.05 %, KOSDAQ 0.20 %
//     (mt.co.kr 2023-01-03: 0.23 % → 0.20 %, then 0.18 % and 0.15 %). The
//     trade date is worked out here, not quoted: 2022-12-28 settles T+2
//     on 2023-01-02 as 12-30 was the year-end closing day.
//   - 2023-12-27: transfers from 2024-01-01; KOSPI 0.03 %, KOSDAQ 0.18 %
//     (mt.co.kr 2023-01-03; phongnhaexplorer.com "2024년 ... 0.03%").
//     Trade date worked out as above: 12-29 was the closing day.
//   - 2024-12-27: transfers from 2025-01-01; KOSPI 0 %, KOSDAQ 0.15 %,
//     KONEX 0.10 % unchanged. Hanyang Securities' notice of 2024-12-26:
//     "2024년 12월 27일(금) 매도 체결분부터".
//   - 2025-12-29: transfers from 2026-01-01, the decree put out for comment
//     by MOEF on 2025-12-01 after the 2025 tax revision (2025-07-31);
//     KOSPI 0.05 %, KOSDAQ 0.20 %, KONEX 0.10 % unchanged (donga.com,
//     magazine.hankyung.com 2025-12-01; biz.chosun.com 2025-08-01). Trade
//     date worked out as above: 2025-12-29 settles on 2026-01-02 as 12-31
//     is the closing day.
//
// Other taxes on a sale (capital-gains tax of large holders, ETFs' and
// ETNs' exemption from the transaction tax) are outside this schedule.
var taxTable = [...]taxPeriod{
	{from: 0, settles: 19960401 /* April 1996, day unverified */, kospi: 15 * BasisPoint, rural: 15 * BasisPoint, kosdaq: 30 * BasisPoint, konex: 30 * BasisPoint},
	{from: 20190530, settles: 20190603, kospi: 10 * BasisPoint, rural: 15 * BasisPoint, kosdaq: 25 * BasisPoint, konex: 10 * BasisPoint},
	{from: 20201229, settles: 20210101, kospi: 8 * BasisPoint, rural: 15 * BasisPoint, kosdaq: 23 * BasisPoint, konex: 10 * BasisPoint},
	{from: 20221228, settles: 20230101, kospi: 5 * BasisPoint, rural: 15 * BasisPoint, kosdaq: 20 * BasisPoint, konex: 10 * BasisPoint},
	{from: 20231227, settles: 20240101, kospi: 3 * BasisPoint, rural: 15 * BasisPoint, kosdaq: 18 * BasisPoint, konex: 10 * BasisPoint},
	{from: 20241227, settles: 20250101, kospi: 0, rural: 15 * BasisPoint, kosdaq: 15 * BasisPoint, konex: 10 * BasisPoint},
	{from: 20251229, settles: 20260101, kospi: 5 * BasisPoint, rural: 15 * BasisPoint, kosdaq: 20 * BasisPoint, konex: 10 * BasisPoint},
}

// SellTaxes returns the securities transaction tax and the rural special
// tax on a sale of a stock of market m traded at t (its KST trade date; see
// taxPeriod for why the trade date and not the settlement date). An
// UnknownMarket is taxed as KOSPI, the market of most of KRX's value.
func SellTaxes(t time.Time, m Market) (transaction, rural Rate) {
	day := dateKey(t.In(market.Seoul))
	p := &taxTable[0]
	for i := len(taxTable) - 1; i > 0; i-- {
		if day >= taxTable[i].from {
			p = &taxTable[i]
			break
		}
	}
	switch m {
	case KOSDAQ:
		return p.kosdaq, 0
	case KONEX:
		return p.konex, 0
	}
	return p.kospi, p.rural
}

// Tariff prices the fills of any date and any symbol: the broker's
// commission, the same everywhere, and the sell taxes in force on each
// fill's trade date for its symbol's market. It allocates nothing per
// fill. The zero Tariff costs nothing.
type Tariff struct {
	Commission    Rate  // broker commission, both sides
	MinCommission int64 // won per fill; 0 means no minimum
	// Taxed charges sales the taxes of SellTaxes. False leaves commission
	// only, so that a zero Tariff (a zero fill.Config) is free.
	Taxed bool
	// Listing says which market each symbol is listed on. Nil, or a
	// symbol it does not list, is taxed as KOSPI (the listing reports an
	// unlisted symbol once, see NewListing).
	Listing *Listing
}

// DefaultTariff is a commission of 0.015 % with no minimum, a common
// Korean online-brokerage rate (set your broker's own), the statutory sell
// taxes, and no listing: every symbol KOSPI until a Listing is set.
func DefaultTariff() Tariff {
	return Tariff{Commission: 150, Taxed: true}
}

// On returns the fee schedule for a trade on the KST date of t of a stock
// listed on m.
func (t Tariff) On(at time.Time, m Market) FeeSchedule {
	s := t.Commissions()
	if t.Taxed {
		s.TransactionTax, s.RuralTax = SellTaxes(at, m)
	}
	return s
}

// Commissions is the schedule without taxes: what a buy costs on any date
// and market, since KRX taxes only sales.
func (t Tariff) Commissions() FeeSchedule {
	return FeeSchedule{Commission: t.Commission, MinCommission: t.MinCommission}
}

// Compute returns the commission and the taxes, in won, of one fill of sym
// traded at t, of the given side and value.
func (t Tariff) Compute(at time.Time, sym market.Symbol, side market.Side, value int64) (fee, tax int64) {
	if side != market.Sell || !t.Taxed {
		return t.Commissions().Compute(side, value)
	}
	return t.On(at, t.Listing.Market(sym)).Compute(side, value)
}

// Validate checks the commission as FeeSchedule.Validate does.
func (t Tariff) Validate() error {
	return t.Commissions().Validate()
}
