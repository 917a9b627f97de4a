// Package krx holds the Korea Exchange's trading rules that qb prices and
// schedules against: the tick-size grid (호가가격단위), the daily price
// limits, the regular session and a trading calendar, and the broker
// commission and securities transaction tax charged on a trade.
//
// Every amount is whole won in int64 and every rule is integer arithmetic:
// no float64 touches a price, a fee or a tax.
package krx
