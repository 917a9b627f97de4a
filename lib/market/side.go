package market

import "fmt"

// Side is the direction of an order or fill.
type Side int8

// The two sides. The zero Side is invalid so that a forgotten field is caught.
const (
	Buy  Side = 1
	Sell Side = 2
)

// String returns "BUY" or "SELL", the spelling the stores and reports use.
func (s Side) String() string {
	switch s {
	case Buy:
		return "BUY"
	case Sell:
		return "SELL"
	}
	return fmt.Sprintf("Side(%d)", int8(s))
}

// Valid reports whether s is Buy or Sell.
func (s Side) Valid() bool { return s == Buy || s == Sell }

// ParseSide reads "BUY"/"buy" or "SELL"/"sell".
func ParseSide(s string) (Side, error) {
	switch s {
	case "BUY", "buy", "Buy":
		return Buy, nil
	case "SELL", "sell", "Sell":
		return Sell, nil
	}
	return 0, fmt.Errorf("side %q: want BUY or SELL", s)
}

// OrderType says how an order is priced.
type OrderType int8

// Order types. Market orders take the next trade price; limit orders name one.
const (
	MarketOrder OrderType = 1
	LimitOrder  OrderType = 2
)

// String returns "MARKET" or "LIMIT".
func (t OrderType) String() string {
	switch t {
	case MarketOrder:
		return "MARKET"
	case LimitOrder:
		return "LIMIT"
	}
	return fmt.Sprintf("OrderType(%d)", int8(t))
}

// Valid reports whether t is a known order type.
func (t OrderType) Valid() bool { return t == MarketOrder || t == LimitOrder }
