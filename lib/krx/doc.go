// Package krx holds the Korea Exchange's trading rules that qb prices and
// schedules against: the tick-size grid (호가가격단위), the daily price
// limits, the regular session and a trading calendar, and the broker
// commission and the sell taxes charged on a trade.
//
// The sell taxes change with the date and differ by market: a Tariff
// prices a fill from its trade date (SellTaxes holds the dated schedule
// from before 2016 to 2026, each change with its source) and its symbol's
// market, which a Listing of stocks supplies (DefaultStocks is a small
// built-in one; ReadListing and ReadKISMaster read larger ones).
//
// Every amount is whole won in int64 and every rule is integer arithmetic:
// no float64 touches a price, a fee or a tax.
package krx
