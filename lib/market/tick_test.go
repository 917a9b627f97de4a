package market

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// A trade print at a price of zero or below is not a trade: Validate
// rejects it and names the price field, so a bad feed or tape row cannot
// reach a bar, a fill or an equity curve. Volume, bid and ask may be 0
// (unknown) but never negative.
func TestTickValidateRejectsNonPositivePrice(t *testing.T) {
	now := time.Date(2024, 3, 4, 9, 0, 0, 0, Seoul)
	good := Tick{Time: now, Symbol: "005930", Price: 72_100, Volume: 15, Bid: 72_000, Ask: 72_100}
	for _, tc := range []struct {
		name  string
		edit  func(*Tick)
		field string // "" means valid
		msg   string // part of the message
	}{
		{"valid print", func(*Tick) {}, "", ""},
		{"smallest price", func(t *Tick) { t.Price = 1 }, "", ""},
		{"zero volume, unknown quotes", func(t *Tick) { t.Volume, t.Bid, t.Ask = 0, 0, 0 }, "", ""},
		{"zero price", func(t *Tick) { t.Price = 0 }, "price", "0 is not positive"},
		{"price -1", func(t *Tick) { t.Price = -1 }, "price", "-1 is not positive"},
		{"price -100", func(t *Tick) { t.Price = -100 }, "price", "-100 is not positive"},
		{"price -72100", func(t *Tick) { t.Price = -72_100 }, "price", "-72100 is not positive"},
		{"negative volume", func(t *Tick) { t.Volume = -1 }, "volume", "-1 is negative"},
		{"negative bid", func(t *Tick) { t.Bid = -1 }, "bid", "-1 is negative"},
		{"negative ask", func(t *Tick) { t.Bid, t.Ask = 0, -1 }, "ask", "-1 is negative"},
		// A made-up tick below its bar's low is priced outside the bar.
		{"synthetic below low", func(t *Tick) {
			t.Price, t.From = 99, BarPoint{Frame: Day1, Low: 100, High: 110}
		}, "price", "99 outside its bar's range 100..110"},
		{"synthetic above high", func(t *Tick) {
			t.Price, t.From = 111, BarPoint{Frame: Day1, Low: 100, High: 110}
		}, "price", "111 outside its bar's range 100..110"},
		{"synthetic at its bar's ends", func(t *Tick) {
			t.Price, t.From = 110, BarPoint{Frame: Day1, Low: 100, High: 110}
		}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := good
			tc.edit(&tk)
			err := tk.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate(%+v) = %v, want nil", tk, err)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Type != "tick" || fe.Field != tc.field || !strings.Contains(fe.Msg, tc.msg) {
				t.Fatalf("Validate = %v, want a tick FieldError on %q saying %q", err, tc.field, tc.msg)
			}
		})
	}
}
