package risk

// Limits are the gate's rules. A limit of zero or less switches its rule
// off; the engine uses DefaultLimits unless it is given other limits.
// Amounts are won, quantities shares.
//
// The limits bound new risk, so an exit (a sell of shares held and not
// already on open sells) is spared every one of them except the order
// rate: it may exceed MaxOrderValue and MaxOpenOrders, and it is admitted
// after either daily loss limit was reached. See Gate.
type Limits struct {
	// MaxPositionShares caps the shares of one symbol a strategy may hold,
	// counting shares on open buy orders. Default 100,000.
	MaxPositionShares int64

	// MaxPositionValue caps the value of one symbol a strategy may hold,
	// counting open buys, valued at the new order's price. Default
	// 50,000,000 won, half the default paper account.
	MaxPositionValue int64

	// MaxOrderValue caps one buy's value: quantity × limit price, or × the
	// collar price for a market buy. Default 20,000,000 won.
	MaxOrderValue int64

	// MaxOpenOrders caps a strategy's working orders: at the cap, only
	// exits are admitted. Default 20.
	MaxOpenOrders int

	// MaxOrdersPerMinute caps the orders a strategy may have admitted in
	// any 60 seconds of engine time (a sliding window). Refused orders do
	// not count. It applies to exits too: it delays one by at most a
	// minute, and never traps a position. Default 60.
	MaxOrdersPerMinute int

	// MaxDailyLoss is a strategy's loss limit for one KST day: equity
	// (cash plus positions at the last price) against its value at the
	// end of the previous day. Once reached, the strategy's new orders,
	// exits excepted, are refused until the next KST day. Default
	// 5,000,000 won.
	MaxDailyLoss int64

	// MaxAccountDailyLoss is the same limit summed over every strategy of
	// the account. Once reached, every strategy's new orders, exits
	// excepted, are refused until the next KST day. Default 20,000,000 won.
	MaxAccountDailyLoss int64

	// MarketBuyCollarBP is how far above the last trade price, in basis
	// points, a market buy is valued when checking and reserving cash,
	// so that the fill's slippage cannot overdraw the account. The collar
	// price is rounded up to the tick grid and capped at the day's upper
	// price limit when that is known. Default 100 (1 %).
	//
	// The market may move more than the collar before the order fills: at
	// the opening auction after a market buy placed out of the session, or
	// in a jump inside it. The engine therefore checks a working market buy
	// again at each print it may fill on, valued at the collar over that
	// print, and cancels it when the cash no longer covers it.
	MarketBuyCollarBP int64
}

// DefaultLimits returns the limits documented on each field of Limits.
func DefaultLimits() Limits {
	return Limits{
		MaxPositionShares:   100_000,
		MaxPositionValue:    50_000_000,
		MaxOrderValue:       20_000_000,
		MaxOpenOrders:       20,
		MaxOrdersPerMinute:  60,
		MaxDailyLoss:        5_000_000,
		MaxAccountDailyLoss: 20_000_000,
		MarketBuyCollarBP:   100,
	}
}
