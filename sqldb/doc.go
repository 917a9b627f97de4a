// Package sqldb stores qb's market data, orders, fills, positions, strategy
// state and events in PostgreSQL (with TimescaleDB when the extension is
// available) or in an embedded SQLite file.
//
// Both stores have the same method set (the Store interface) and the same
// logical schema, created by the migrations embedded from migrations/. Writes
// of anything that can arrive twice (ticks, bars, fills) are idempotent, so a
// caller may retry a batch after any error without creating duplicates.
//
// Times are stored with microsecond precision and returned in market.Seoul.
package sqldb
