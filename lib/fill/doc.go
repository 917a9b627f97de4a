// Package fill is qb's paper fill model: given orders and the trade prints
// that follow them, it decides which orders fill, how much, at what price,
// and what each fill costs in commission and tax.
//
// The rules, all conservative so that a paper result does not flatter a
// strategy:
//
//   - No look-ahead. An order submitted at time at becomes live at
//     at + Config.Latency. A print can fill it only if the print reaches
//     OnTick after Submit returned and its Time is strictly after the live
//     time. So an order never fills on the print it was submitted in
//     response to, nor on any other print stamped at the same instant.
//   - Market orders fill at the trade price of the first eligible print,
//     moved Config.SlippageTicks ticks against the trader along the KRX
//     grid (up for a buy, down for a sell).
//   - Limit orders fill at their limit price when a print goes through it:
//     a buy when a trade prints strictly below the limit, a sell strictly
//     above (at or through with Config.LimitFillOnTouch). A print that
//     goes through does not improve the price: the fill is at the limit,
//     or, on a tick made from a bar, the bar's high (buy) or low (sell)
//     when the limit is outside the range the bar traded in.
//   - With Config.CapToVolume a print fills at most its own volume, shared
//     among eligible orders in submission order; what is left of an order
//     keeps working, so large orders fill in parts.
//   - Each fill carries its own commission and tax from Config.Fees,
//     taxed by its trade date and its symbol's market, rounded per fill.
//   - Cancel takes effect at once; Latency delays arrivals only.
//
// The model keeps its working orders in a slice in submission order and
// iterates nothing else, so the same submissions and prints always give the
// same fills in the same order. It is not safe for concurrent use: the
// engine drives it from one goroutine.
package fill
