package market

import (
	"errors"
	"testing"
	"time"
)

func TestParseSymbol(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"005930", true}, {"0000J0", true}, {"05930", false}, {"0059300", false},
		{"00593a", false}, {"", false}, {"00 930", false},
	} {
		_, err := ParseSymbol(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseSymbol(%q) err = %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func TestValidateNamesField(t *testing.T) {
	now := time.Date(2024, 1, 2, 9, 0, 0, 0, Seoul)
	for _, tc := range []struct {
		name  string
		check func() error
		field string
	}{
		{"tick price", func() error { t := Tick{Time: now, Symbol: "005930"}; return t.Validate() }, "price"},
		{"tick time", func() error { t := Tick{Symbol: "005930", Price: 1}; return t.Validate() }, "time"},
		{"tick crossed", func() error {
			t := Tick{Time: now, Symbol: "005930", Price: 10, Bid: 11, Ask: 10}
			return t.Validate()
		}, "bid"},
		{"bar high", func() error {
			b := Bar{Symbol: "005930", Timeframe: Min1, Start: now, Open: 10, High: 9, Low: 8, Close: 9}
			return b.Validate()
		}, "high"},
		{"bar timeframe", func() error {
			b := Bar{Symbol: "005930", Timeframe: Timeframe(7 * time.Second), Start: now, Open: 1, High: 1, Low: 1, Close: 1}
			return b.Validate()
		}, "timeframe"},
		{"order limit price", func() error {
			o := Order{Symbol: "005930", Side: Buy, Type: LimitOrder, Qty: 1}
			return o.Validate()
		}, "price"},
		{"order side", func() error { o := Order{Symbol: "005930", Type: MarketOrder, Qty: 1}; return o.Validate() }, "side"},
		{"fill qty", func() error { f := Fill{Symbol: "005930", Side: Sell, Price: 1, Time: now}; return f.Validate() }, "qty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fe *FieldError
			if err := tc.check(); !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("err = %v, want a FieldError on %q", err, tc.field)
			}
		})
	}
}

func TestOrderLifeCycle(t *testing.T) {
	now := time.Unix(0, 0)
	o := Order{ID: 1, Symbol: "005930", Side: Buy, Type: LimitOrder, Qty: 10, Price: 70000, Status: OrderNew}
	if err := o.ApplyFill(now, 1); err == nil {
		t.Fatal("fill of a new order accepted")
	}
	must(t, o.Accept(now))
	must(t, o.ApplyFill(now, 4))
	if o.Status != OrderPartiallyFilled || o.Remaining() != 6 {
		t.Fatalf("after 4: %s, %d remain", o.Status, o.Remaining())
	}
	if err := o.ApplyFill(now, 7); err == nil {
		t.Fatal("overfill accepted")
	}
	must(t, o.ApplyFill(now, 6))
	if o.Status != OrderFilled || !o.Status.Final() {
		t.Fatalf("status %s, want filled", o.Status)
	}
	if err := o.Cancel(now, "late"); err == nil {
		t.Fatal("cancel of a filled order accepted")
	}
	r := Order{ID: 2, Status: OrderNew}
	must(t, r.Reject(now, "max order value"))
	if r.Status != OrderRejected || r.Reason != "max order value" {
		t.Fatalf("reject: %s %q", r.Status, r.Reason)
	}
}

func TestPositionAverageCost(t *testing.T) {
	p := Position{Symbol: "005930"}
	fill := func(side Side, qty, price int64) {
		t.Helper()
		must(t, p.Apply(&Fill{Symbol: "005930", Side: side, Qty: qty, Price: price}))
	}
	fill(Buy, 3, 100)  // cost 300
	fill(Buy, 1, 101)  // cost 401, avg 100.25
	fill(Sell, 1, 110) // removes 401*1/4 = 100, realised 10
	if p.Qty != 3 || p.Cost != 301 || p.Realized != 10 {
		t.Fatalf("after partial sell: %+v", p)
	}
	fill(Sell, 3, 90) // removes all 301, realised 270-301 = -31
	if p.Qty != 0 || p.Cost != 0 || p.Realized != -21 {
		t.Fatalf("after closing: %+v", p)
	}
	if err := p.Apply(&Fill{Symbol: "005930", Side: Sell, Qty: 1, Price: 1}); err == nil {
		t.Fatal("sell of a flat position accepted")
	}
	big := Position{Symbol: "005930", Qty: 4_000_000_000, Cost: 4_000_000_000 * 3_000_000}
	must(t, big.Apply(&Fill{Symbol: "005930", Side: Sell, Qty: 1_000_000_000, Price: 3_000_000}))
	if big.Cost != 3_000_000_000*3_000_000 || big.Realized != 0 {
		t.Fatalf("large position: %+v", big)
	}
}

func TestTimeframeStartSeoul(t *testing.T) {
	at := time.Date(2024, 3, 4, 9, 7, 31, 5, Seoul)
	for _, tc := range []struct {
		tf   Timeframe
		want time.Time
	}{
		{Sec1, time.Date(2024, 3, 4, 9, 7, 31, 0, Seoul)},
		{Min5, time.Date(2024, 3, 4, 9, 5, 0, 0, Seoul)},
		{Hour1, time.Date(2024, 3, 4, 9, 0, 0, 0, Seoul)},
		{Day1, time.Date(2024, 3, 4, 0, 0, 0, 0, Seoul)},
	} {
		if got := tc.tf.Start(at); !got.Equal(tc.want) {
			t.Errorf("%s.Start = %v, want %v", tc.tf, got, tc.want)
		}
	}
	for _, tf := range Timeframes() {
		got, err := ParseTimeframe(tf.String())
		if err != nil || got != tf {
			t.Errorf("round trip %s: %v %v", tf, got, err)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
