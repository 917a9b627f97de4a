// Package risk is the gate every order passes before it reaches a broker.
//
// A Gate holds the limits (see Limits and DefaultLimits) and the little
// state the limits need: a sliding one-minute window of admitted orders per
// strategy, and each strategy's and the whole account's profit and loss for
// the current KST trading day. Everything else it is told at the moment of
// the check (Exposure, Quote), so the Gate never disagrees with the
// engine's own books.
//
// The limits bound new risk and never trap a position: an exit, a sell of
// shares held, passes the exposure limits, the open-order cap and the
// daily loss breakers (see Gate).
//
// A refused order gets a *Rejection naming the Rule and a reason a person
// can read ("max order value: 12,000,000 won > 10,000,000"); the engine
// hands that reason to the strategy through on_order.
//
// The Gate runs on the engine's clock (order creation times and Mark
// times), never on the wall clock, so a replay is deterministic. It is not
// safe for concurrent use: the engine calls it from its one goroutine.
package risk
