// Package sim is a simulated KRX feed: a seeded, deterministic stream of
// trade ticks for a few real symbols, for trying strategies live without a
// broker connection (qb run) and for synthetic test tapes.
//
// The model, per tick:
//
//   - One symbol is drawn at random; the clock advances by
//     Config.TickInterval of market time whichever symbol trades.
//   - Its price takes a random-walk step on the KRX tick grid, sized so
//     that the day's close-to-close standard deviation is about
//     Instrument.Vol: when a day has enough ticks, a step is one tick up or
//     down with some probability and otherwise none (the print repeats the
//     price); when it has few (a coarse TickInterval), every step is a few
//     ticks. Steps go through krx.AddTicks, so they follow the tick size
//     across band boundaries, and stop at the day's ±30 % limits
//     (krx.PriceLimits of the day's base).
//   - The trade is buyer- or seller-initiated with equal odds: a buy
//     prints at the ask with the bid one tick below, a sell at the bid with
//     the ask one tick above (never beyond the day's limits, where the
//     quote collapses onto the price).
//   - The volume is 1..Instrument.Lot shares times a power of two (×1 with
//     odds 1/2, ×2 with 1/4, up to ×64): mostly small prints, a few blocks.
//
// Days: ticks carry times inside the session of a trading day, from its open
// (09:00 KST, or the calendar's special hours) up to but excluding its
// close; the next tick after the close is at the next trading day's open.
// Each day's base price, from which the limits are computed, is the
// symbol's previous close (its last price of the day before). There is no
// overnight gap.
//
// Everything is integer arithmetic over a PCG generator (math/rand/v2), so
// the same Config gives the same ticks on every platform. Run paces the
// same stream in wall time, compressing a session into a short wall
// duration (DefaultPace) so that a user sees bars close every few seconds.
package sim
