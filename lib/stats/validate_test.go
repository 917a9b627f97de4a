package stats

import (
	"errors"
	"strings"
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

func TestValidate(t *testing.T) {
	f := tripFills()
	with := func(i int, edit func(*market.Fill)) []market.Fill {
		out := append([]market.Fill{}, f...)
		edit(&out[i])
		return out
	}
	for _, tc := range []struct {
		name  string
		eq    []Point
		fills []market.Fill
		want  string // substring of the error; "" for none
	}{
		{"valid", tenHours(), f, ""},
		{"empty", nil, nil, ""},
		{"start not positive", series(0, 100), nil, "equity[0]: equity 0"},
		{"negative equity", series(100, 50, -1), nil, "equity[2]: equity -1 is negative"},
		{"equity out of order", []Point{{at(0), 100}, {at(2), 100}, {at(1), 100}}, nil, "equity[2]: time"},
		{"equity time missing", []Point{{at(0), 100}, {Equity: 100}}, nil, "equity[1]: time missing"},
		{"fill invalid", tenHours(), with(3, func(x *market.Fill) { x.Price = 0 }), "fills[3]: fill: price"},
		{"fill out of order", tenHours(), with(4, func(x *market.Fill) { x.Time = at(0) }), "fills[4]: time"},
		{"oversell", tenHours(), with(3, func(x *market.Fill) { x.Qty = 16 }), "fills[3]: qty: position 005930: sell of 16 shares, 15 held"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(tc.eq, tc.fills)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("err = %v, want none", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestValidateWrapsFieldError(t *testing.T) {
	fills := []market.Fill{fill(1, symA, market.Buy, -1, 1000, 0, 0)}
	var fe *market.FieldError
	if err := Validate(nil, fills); !errors.As(err, &fe) || fe.Field != "qty" {
		t.Fatalf("err = %v, want a *market.FieldError on qty", err)
	}
}
