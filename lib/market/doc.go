// Package market is qb's trading vocabulary: symbols, ticks, bars, orders,
// fills and positions on the Korea Exchange (KRX).
//
// Prices and cash are whole won and quantities whole shares, held as int64,
// which is exact for every amount KRX can produce. Each type validates
// itself; a validation error is a *FieldError naming the bad field.
package market
