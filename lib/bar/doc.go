// Package bar builds OHLCV bars from trade ticks, for one symbol and one
// timeframe per Builder (1s, 1m, 3m, 5m, 10m, 15m, 30m, 1h, 1d), with
// buckets aligned in Asia/Seoul by market.Timeframe.Start and End: a 1d bar
// runs from 00:00 to 24:00 KST, so a tick at 23:59 UTC belongs to the next
// KST day's bar.
//
// # When a bar closes
//
// A bar closes, and is returned exactly once, when either
//   - Add receives a tick of a later bucket: Add returns the closed bar and
//     then starts the new bucket with that tick; or
//   - Advance(now) is called with now at or after the bar's end, so a quiet
//     symbol still gets its bar on time; or
//   - Flush is called (end of a replay, or a session close before the
//     bucket's end, such as a 1d bar at 15:30).
//
// Buckets in which nothing traded produce no bar: there is no flat bar
// carrying the previous close forward, and a closed bar's successor may
// start several timeframes later. Consumers that need a regular series
// fill the gaps themselves.
//
// # Late, duplicate and out-of-order ticks
//
// Each tick is judged by these rules, in this order; every dropped or
// unusual tick is counted in Stats, none is merged silently:
//
//  1. Invalid: a tick for another symbol, with a zero time, a price that
//     is not positive or a negative volume is dropped (and every tick, if
//     the Builder's timeframe is not positive).
//  2. Duplicate: a tick with Seq > 0, Seq <= the highest Seq seen, and a
//     time not after the latest tick time seen is a redelivery and is
//     dropped. A Seq that goes backwards while the time moves forward is
//     taken as the feed restarting its numbering (a new session), not as
//     a duplicate. Ticks without a Seq (Seq == 0) cannot be told apart from
//     two real identical prints and are always kept.
//  3. Late: a tick whose bucket starts before the current bucket, or before
//     the bucket holding the latest Advance time, is dropped: its bar has
//     been closed (or, for an empty bucket, its time has passed) and bars
//     are never reopened or emitted out of time order. Advance(now) is the
//     caller's promise that no tick before now's bucket will still come; a
//     live caller with a delayed feed passes now minus the delay it allows.
//  4. Out of order: a tick inside the current bucket but earlier than the
//     latest tick is still that bucket's trade; it is accepted and counted
//     OutOfOrder. Open and close follow the ticks' times, not their arrival:
//     open is the earliest print and close the latest (among prints with
//     equal times, the first and the last to arrive), so an out-of-order tick moves open only
//     if it is earlier than every print so far and never moves close.
//
// Times are compared as Unix nanoseconds, which cover the years 1678 to
// 2262. A Builder is not safe for concurrent use; the engine drives it from its
// one loop. Add and Advance do not allocate.
package bar
