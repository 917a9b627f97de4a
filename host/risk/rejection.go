package risk

import (
	"fmt"

	"github.com/dustin/go-humanize"
)

// Rule names the check that refused an order.
type Rule string

// The rules, in the order the gate applies them.
const (
	RuleInvalid        Rule = "invalid order"
	RuleAccountLoss    Rule = "account daily loss"
	RuleDailyLoss      Rule = "daily loss"
	RuleOrderRate      Rule = "order rate"
	RuleOpenOrders     Rule = "open orders"
	RuleNoPrice        Rule = "no price"
	RuleTickSize       Rule = "tick size"
	RulePriceLimit     Rule = "price limit"
	RuleOrderValue     Rule = "max order value"
	RulePositionShares Rule = "max position shares"
	RulePositionValue  Rule = "max position value"
	RuleHoldings       Rule = "holdings"
	RuleCash           Rule = "cash"
)

// Rejection is the error the gate returns for a refused order. Its text,
// "<rule>: <detail>", is what the strategy reads in on_order's reason.
type Rejection struct {
	Rule   Rule
	Detail string
}

func (r *Rejection) Error() string { return string(r.Rule) + ": " + r.Detail }

func reject(rule Rule, format string, args ...any) *Rejection {
	return &Rejection{Rule: rule, Detail: fmt.Sprintf(format, args...)}
}

// won formats an amount with thousands separators: 12,000,000.
func won(v int64) string { return humanize.Comma(v) }
