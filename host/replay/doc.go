// Package replay runs strategies over recorded market data on the data's own
// clock, deterministically: the same files and scripts give a byte-identical
// report.
//
// Data files hold ticks or bars (see lib/tape for the CSV format). Bars are
// turned into ticks by a fixed path through each bar, marked as made up
// (market.Tick.From): the engine builds the strategies' bars from them and
// the paper broker fills orders on them, but no strategy sees them in
// on_tick, and no fill is priced outside the bar's range (see lib/fill):
//
//   - four ticks per bar: open, then the extreme nearer the open's side,
//     then the other extreme, then close. A bar that closes at or above its
//     open goes open → low → high → close; one that closes below goes
//     open → high → low → close. (Either path is a guess; this one is the
//     usual conservative convention and never depends on anything but the bar.)
//   - a daily bar's ticks are at 09:00, 11:10, 13:20 and 15:30 KST, spread
//     over the regular session; an intraday bar's at start + 0, ¼, ½ and ¾
//     of its timeframe.
//   - the bar's volume is split in four equal parts, the remainder going to
//     the close tick, so the ticks add up to the bar's volume exactly.
//
// Ticks from several files are merged by time; ticks with equal times are
// ordered by symbol, then keep the order of the files on the command line,
// then of the rows in a file. OpenStore gives the same tape from a store
// that holds the same data.
//
// A replay streams its tape: Run feeds the engine from a Source, which
// OpenTapes makes of the files by a k-way merge over one lane per symbol
// of each file, reading a file only as far as the merge needs. Memory is
// bounded by the files, symbols and strategies, not by the tape's length;
// the summary's span and tick count are taken as the ticks go by. A file
// with a symbol column is scanned once first: if its rows are not in time
// order across its symbols, each symbol gets its own reader of the file,
// so that such a file is never held whole either (see OpenTapes).
package replay
