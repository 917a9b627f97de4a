package sqldb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qbtrading/qb/lib/market"
)

// micros converts to the stored precision (microseconds since the epoch).
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros is the inverse of micros, in KST like the rest of qb.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).In(market.Seoul) }

// kst normalises a time read from PostgreSQL.
func kst(t time.Time) time.Time { return t.In(market.Seoul) }

func parseOrderType(s string) (market.OrderType, error) {
	switch s {
	case "MARKET":
		return market.MarketOrder, nil
	case "LIMIT":
		return market.LimitOrder, nil
	}
	return 0, fmt.Errorf("order type %q: want MARKET or LIMIT", s)
}

func checkOrder(o *market.Order) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if _, err := market.ParseOrderStatus(o.Status.String()); err != nil {
		return fmt.Errorf("order %d: status %s is not set", o.ID, o.Status)
	}
	if o.Created.IsZero() {
		return fmt.Errorf("order %d: created time missing", o.ID)
	}
	return nil
}

func checkFills(fills []market.Fill) error {
	for i := range fills {
		if err := fills[i].Validate(); err != nil {
			return fmt.Errorf("fill %d (order %d): %w", i, fills[i].OrderID, err)
		}
	}
	return nil
}

func checkTicks(ticks []market.Tick) error {
	for i := range ticks {
		if err := ticks[i].Validate(); err != nil {
			return fmt.Errorf("tick %d: %w", i, err)
		}
	}
	return nil
}

func checkBars(bars []market.Bar) error {
	for i := range bars {
		if err := bars[i].Validate(); err != nil {
			return fmt.Errorf("bar %d: %w", i, err)
		}
	}
	return nil
}

// symbolStrings converts for use as a SQL array or IN list.
func symbolStrings(syms []market.Symbol) []string {
	out := make([]string, len(syms))
	for i, s := range syms {
		out[i] = string(s)
	}
	return out
}

// dayString is the KST calendar date of t.
func dayString(t time.Time) string { return t.In(market.Seoul).Format(time.DateOnly) }

// cleanText makes s storable in any text column: valid UTF-8 (PostgreSQL
// refuses anything else) without NUL bytes.
func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// cleanDetails returns an event's details as storable JSON text, or nil.
// Details that are not valid JSON are kept as a JSON string under "raw", so a
// log row never fails a batch of events.
func cleanDetails(d json.RawMessage) any {
	if len(d) == 0 {
		return nil
	}
	if utf8.Valid(d) && json.Valid(d) && !bytes.Contains(d, []byte(`\u0000`)) { // jsonb refuses \u0000
		return string(d)
	}
	b, _ := json.Marshal(map[string]string{"raw": cleanText(string(d))}) // a map of strings always marshals
	return string(b)
}
