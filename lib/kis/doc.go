// Package kis is a client for the Korea Investment & Securities (KIS, 한국투자증권)
// Open API, domestic stocks only: the real-time WebSocket feed (trades H0STCNT0,
// order book H0STASP0, encrypted execution notices H0STCNI0/H0STCNI9) and the REST
// API (tokens, orders, balance, daily fills, prices, bars).
//
// The protocol is described in the team's KIS.md; section numbers in comments
// (§4.7 and so on) refer to it. Credentials never leave this package in an error
// or a log line: see Secret and Redactor.
//
// Package kistest provides a protocol server that speaks the same wire format, for
// tests and demos without an account.
package kis
