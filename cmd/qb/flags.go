package main

import (
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/risk"
	"github.com/qbtrading/qb/host/script"
)

func (s *strategyFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&s.params, "param", nil, "override a strategy param: name=value, or strategy.name=value (repeatable)")
	fs.Int64Var(&s.cash, "cash", engine.DefaultCash, "starting cash of each strategy's paper account, won")
	s.budget.d = script.DefaultBudget
	fs.Var(&s.budget, "budget", "longest one hook call may run before it is aborted")
	fs.IntVar(&s.maxFailures, "max-failures", 5, "consecutive hook failures that pause a strategy")
	s.risk.register(fs)
}

// durationFlag is a time.Duration flag that must be positive.
type durationFlag struct{ d time.Duration }

func (f *durationFlag) String() string { return f.d.String() }
func (f *durationFlag) Type() string   { return "duration" }
func (f *durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	if d <= 0 {
		return fmt.Errorf("%s is not positive", s)
	}
	f.d = d
	return nil
}

// riskFlags make every limit of the risk gate settable; 0 switches a rule off.
type riskFlags struct{ l risk.Limits }

func (r *riskFlags) register(fs *pflag.FlagSet) {
	r.l = risk.DefaultLimits()
	fs.Int64Var(&r.l.MaxPositionShares, "max-position-shares", r.l.MaxPositionShares, "risk: most shares of one symbol a strategy may hold")
	fs.Int64Var(&r.l.MaxPositionValue, "max-position-value", r.l.MaxPositionValue, "risk: most won of one symbol a strategy may hold")
	fs.Int64Var(&r.l.MaxOrderValue, "max-order-value", r.l.MaxOrderValue, "risk: most won one order may be worth")
	fs.IntVar(&r.l.MaxOpenOrders, "max-open-orders", r.l.MaxOpenOrders, "risk: most working orders per strategy")
	fs.IntVar(&r.l.MaxOrdersPerMinute, "max-orders-per-minute", r.l.MaxOrdersPerMinute, "risk: most orders per strategy in any minute")
	fs.Int64Var(&r.l.MaxDailyLoss, "max-daily-loss", r.l.MaxDailyLoss, "risk: a strategy's loss in one KST day that stops its new orders, won")
	fs.Int64Var(&r.l.MaxAccountDailyLoss, "max-account-daily-loss", r.l.MaxAccountDailyLoss, "risk: the account's loss in one KST day that halts all new orders, won")
}
