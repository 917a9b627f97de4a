// Package tape reads ticks and bars from CSV files, streaming: a Reader
// returns one record at a time into the caller's Tick or Bar, so a replay
// can run through a tape of millions of ticks in constant memory. ReadBars
// and ReadTicks read a whole file into a slice.
//
// # Format
//
// Comma-separated values (RFC 4180: fields may be quoted; blank lines are
// skipped; leading spaces in a field are dropped). A UTF-8 byte-order mark
// at the start of the file is ignored.
//
// The first line is a header naming the columns, in any order and any
// letter case. Columns with other names are ignored.
//
//	bars:  time, symbol, open, high, low, close, volume
//	ticks: time, symbol, price, volume, and optionally bid, ask, seq
//
// "date" and "datetime" are accepted for time, "code" for symbol. A header
// with a price column holds ticks; one with open, high, low and close
// holds bars; one with both or neither is an error. Empty bid, ask and seq
// cells mean 0 (unknown).
//
// A file without a header (its first field is a time) holds bars with the
// columns date, open, high, low, close, volume, in that order; further
// columns are ignored.
//
// The symbol column is optional: without it every record gets
// Options.Symbol (SymbolFromPath derives it from a name like
// "005930.csv"). With it, the column wins. A symbol is a six-character KRX
// code; "5930" with its leading zeros lost is an error.
//
// Time is one of
//
//	20240304                   YYYYMMDD, midnight in Asia/Seoul
//	20240304090000             YYYYMMDDHHMMSS, Asia/Seoul
//	2024-03-04                 ISO date, midnight in Asia/Seoul
//	2024-03-04T09:00:00+09:00  RFC 3339 with its own offset (fractional seconds allowed)
//
// in the years 1900 to 2199.
//
// A bar's time is its start and must be aligned to Options.Timeframe (1d
// when unset) in Asia/Seoul; a 1m bar stamped 09:00:30 is an error, which
// catches files that stamp bars with their end time. InferTimeframe reads
// a file's timeframe from its first rows when it is not known. Within one symbol,
// bars must come in strictly increasing time; ticks are returned in file
// order, as the replay must see them (lib/bar has the rules for late and
// duplicate ticks), and a tick stamped before the previous tick of its
// symbol is an error: a replay sorts its tape by time, which would move it
// silently. Equal times are fine.
//
// A line may be at most MaxLine (64 KiB) long: a longer one, or a file
// with no line end at all (/dev/zero), is an error naming the line
// ("name:1: longer than 64 KiB") after reading no more than that.
//
// Prices, volumes and seq are whole numbers. They may be written as floats
// with a zero fraction ("25200.0", as pandas writes them), with an
// exponent ("1.5e7"), or with thousands separators in groups of three
// ("182,299", quoted). A fraction that is not zero ("25200.5") is an
// error: KRX prices are whole won and volumes whole shares, and rounding a
// price silently would change a backtest's fills. Every record is checked
// with market.Bar.Validate or market.Tick.Validate (positive prices,
// low <= open, close <= high, no negative volume).
//
// # Errors
//
// A bad record stops reading with an *Error whose text is
// "name:line: column X: problem", X being the column's name as the header
// spells it (e.g. `daily.csv:7: column close: "25200.5" is not a whole
// number`). Malformed CSV is reported with its byte offset in the line.
package tape
