// Package stats computes a strategy's performance statistics from its
// equity series and its fills.
//
// Every ratio is a float64 fraction (0.05 is 5 %). A statistic that is
// undefined for the input (no trades, a flat or one-point equity series, a
// division by zero, a result too large for float64) is 0, never NaN or
// ±Inf: reports are written as JSON, which can hold neither. The degenerate
// cases are listed with each statistic below.
//
// Conventions:
//
//   - Total return: last equity / first equity − 1. 0 for fewer than two
//     points or a first equity ≤ 0.
//   - CAGR: (last/first)^(1/years) − 1, where years is the calendar time
//     between the first and the last point divided by 365.25 days (weekends
//     and holidays count: it is calendar, not trading, time). 0 when that
//     span is zero or negative, when first ≤ 0, or when the result is not
//     finite (a large gain over minutes overflows float64); −1 when the
//     last equity is ≤ 0 (everything lost).
//   - Maximum drawdown: the largest fall from a running peak,
//     (peak − equity) / peak, as a positive fraction (0.25 is a 25 % fall).
//     A point equal to the running peak renews it, so the peak is the last
//     point at the high before the fall. Its duration is the time from that
//     peak to the first later point that is back at or above it
//     (recovery), or to the last point if equity never recovered. When two
//     drawdowns are equally deep, the earlier one is reported. 0 and 0s
//     for a series that never falls.
//   - Daily returns (the periods of Sharpe and Sortino): the equity at the
//     close of each KST trading day, that is the last point of each
//     Asia/Seoul calendar date, against the close of the date before; the
//     first date's close is measured against the first point, and a first
//     point that is alone on its date is only the base. A close after a
//     close ≤ 0 counts as a return of 0. Only dates with points count, so
//     weekends and holidays are not periods.
//   - Sharpe: mean(r − rf) / sd(r) × √252, with r the daily returns, rf the
//     daily risk-free rate Options.RiskFree / 252 (0 by default), and sd
//     the sample standard deviation (divisor n − 1). 0 with fewer than two
//     daily returns or sd = 0 (flat equity).
//   - Sortino: mean(r − rf) / DD × √252, with the downside deviation
//     DD = √(Σ min(0, r − rf)² / n) over all n periods (not only the losing
//     ones), against the target 0 of the excess return. 0 with fewer than
//     two daily returns or when no period is below the target (DD = 0).
//   - Round trips: per symbol, a trip opens when the position goes from 0
//     to non-zero and closes when it returns to 0. Its P&L is the sells
//     minus the buys minus the fees and taxes of the fills in the trip,
//     the cash the trip made; it equals the realised P&L that
//     market.Position books (average cost) over the trip, less fees and
//     taxes. A trip still open at the last fill is not a round trip (it is
//     counted in Report.OpenTrips).
//   - Win rate: trips with P&L > 0 / round trips; a trip at exactly 0 is
//     neither a win nor a loss. 0 with no round trips.
//   - Profit factor: the sum of winning trips' P&L / |the sum of losing
//     trips' P&L|. 0 when there is no losing trip (the ratio is undefined;
//     read the win rate) or no trip at all.
//   - Average win / average loss: the mean P&L, in won, of winning trips
//     and of losing trips; the average loss is negative. 0 when there is
//     none of that kind.
//   - Exposure: the fraction of the time between the first and the last
//     equity point during which at least one symbol's position is
//     non-zero, from the fills' timeline (a position changes at its fill's
//     time; fills before the first point set the starting position). 0 when
//     the span is zero.
//
// Compute takes its input as the engine produces it: points and fills in
// time order, valid fills, no sell of more than is held. It never panics on
// other input: it skips a fill that fails market.Fill.Validate or sells more
// than is held, and it takes points and fills in the order given. Validate
// reports each such problem with the index and field at fault; call it on
// input that did not come from the engine.
package stats
