// Package engine is qb's loop: it feeds ticks and closed bars to
// strategies, passes their orders through the risk gate to a broker, and
// books the fills on one account per strategy.
//
// # Threading
//
// An Engine is a synchronous state machine. Start, Process, Advance, Stop
// and Results must all be called from one goroutine (the replay loop or
// the live loop); every strategy's Lua state is used only from it. Nothing
// in the engine starts a goroutine.
//
// # Clock
//
// The engine's clock is the data's clock: it moves to each tick's time and
// never goes back (a tick older than the clock is still booked, at the
// clock's time). A live driver also calls Advance with the wall clock, so
// bars close when their time is up even if no trade arrives.
//
// # Order of work for one tick
//
//  1. Advance the clock to the tick's time. A KST day that ended adds an
//     equity point per strategy; bars whose end has passed close and go to
//     on_bar, earliest end first, then by symbol and timeframe, strategies
//     in name order.
//  2. Brokers that work from market data (the paper broker) see the tick
//     and fill orders placed earlier; each fill updates the account, then
//     on_fill and on_order(filled or partially_filled) run. Before that,
//     their working market buys of the symbol are checked for cash again,
//     valued at the collar over this print (risk.Limits.MarketBuyCollarBP):
//     one the cash no longer covers, because the market moved up more
//     than the collar since it was placed, is cancelled, so that no fill
//     overdraws the account.
//  3. The tick goes to the symbol's bar builders.
//  4. on_tick runs for strategies that want it and list the symbol.
//
// Orders placed in a hook pass the risk gate, then go to the broker. The
// order's on_order (accepted or rejected, with the reason) runs right after
// the hook returns, never inside it. An order placed in steps 3 and 4 has
// seen the tick and can only fill on a later tick; one placed in step 1
// (on a bar closed by the clock) can fill on this tick, the first trade
// after the decision, as a real order would.
//
// # Order lifetime
//
// An order's life is counted in trading sessions: a session is a KST day
// in which the engine sees a trade (lifetime.go). A day order lives to the
// end of the next session it can trade in: the current one when placed
// after the day's first trade and before the 15:30 close, otherwise the
// next (an order placed at midnight in on_bar of a daily bar, after the
// close, over a weekend or a holiday waits for it). A GTC order
// (market.Order.Sessions > 1) lives that many sessions. Orders whose life
// is spent are cancelled ("day ended", "expired after N sessions") as the
// clock enters the next KST day. The rule is the engine's, so it is the
// same for every feed and broker, live and in replay.
//
// # Bar data
//
// Ticks made from bars (market.Tick.Synthetic) drive the bar builders and
// the market-driven brokers, but never on_tick, and build no bar shorter
// than the one they were made from: on bar data a strategy sees closed
// bars only. Each strategy is told once.
//
// # What strategies see
//
// ctx.last is the last trade before the hook's event; bars and indicators
// cover closed bars only: the forming bar is never shown. The engine keeps
// every closed bar per symbol and timeframe, up to Config.History
// (DefaultHistory, 100,000) bars; the ring holding them grows as bars
// close, so a series costs what it holds and the tick path does not
// allocate. Each indicator a strategy asks for is computed over that
// history once and then updated bar by bar, so a reloaded script needs
// no warm-up, and its values are TA-Lib's over the whole series whenever
// it was first asked for, and whichever strategies share it. Only once a
// series has dropped its oldest bars does an indicator first asked for
// start later than the series; the host logs a warning when that happens.
//
// # Changing strategies while running
//
// Replace swaps a strategy for a new version of its script (hot reload)
// on the same account, bar history and indicators; Add starts a new one;
// Remove stops one, cancelling its orders and keeping its account in
// Results. All three run on the engine's goroutine, between ticks.
//
// # Durability and restart
//
// With Config.Journal set, the engine stores each order before it goes to
// the broker (an order the journal cannot store is rejected, never sent)
// and after each change of status, and each fill and the position it made
// before the fill is booked and any hook hears of it (see Journal). The
// journal is local: qb run's is host/record's, an fsync'd append to a file
// in the data directory, which a background writer copies to the store.
// Journaling an order therefore happens inside ctx.buy, before the order
// reaches the broker, and costs the hook a local write, never a wait for
// a database that is slow or down; fills are journaled the same way on the
// tick that made them, so ticks keep flowing while the database is away.
// At the next start whatever the journal holds and the store lacks is
// written to the store first, then the restore reads the store, so no
// order the broker filled comes back as working and cash and positions
// are what the fills imply. A crash can lose only a record whose journal
// call had not returned, and the engine had not acted on it. A host that
// stops, even without warning, starts again from what it stored: Spec.Restore gives a strategy's account its cash, positions and
// working orders and its last order number (Restore.LastSeq), and
// Config.LastOrderID keeps new order IDs above the old ones.
//
// # Order IDs and numbers
//
// Each order has two: market.Order.ID, unique across the host's
// strategies and runs, the key of the journal, the store and the brokers;
// and market.Order.Seq, its number among its own strategy's orders from
// 1. A strategy sees only the number (ctx.buy's result, ctx.cancel's
// argument, on_order, on_fill, ctx.orders, and its report), so nothing it
// sees depends on how much the strategies beside it trade.
//
// # Failures
//
// A hook's error is logged and the engine goes on; host/script counts
// failures and pauses a strategy after too many, or at once when it breaks
// its memory budget. A paused (stopped) strategy gets no more events, its
// open orders are cancelled, and Results shows its script.Status: the
// limit (Cause), the hook and file:line. It stays stopped until its file
// changes (Replace) or an operator calls Restart; the other strategies
// are unaffected throughout.
package engine
