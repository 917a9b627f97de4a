package main

import (
	"fmt"
	"strconv"
	"strings"
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
	s.memory.n = script.DefaultMemory
	fs.Var(&s.memory, "memory", "memory a strategy's Lua state may hold (e.g. 64MiB); -1 turns the memory checks off")
	fs.Var(&s.callMemory, "call-memory", "bytes one hook call may allocate (default 4 × --memory)")
	s.memoryCap.n = script.DefaultMemoryCap
	fs.Var(&s.memoryCap, "memory-cap", "the process's memory cap; the Go garbage collector works harder from 90 % of it")
	s.risk.register(fs)
	s.fees.register(fs)
}

// options are the script options every strategy gets from the flags.
func (s *strategyFlags) options() script.Options {
	return script.Options{Budget: s.budget.d, MaxFailures: s.maxFailures, Memory: s.memory.n, CallMemory: s.callMemory.n}
}

// harden applies the process-wide sandbox settings once, before any
// strategy is built.
func (s *strategyFlags) harden() error {
	if err := script.HardenProcessWith(script.ProcessLimits{MemoryCap: s.memoryCap.n}); err != nil {
		return &exitError{code: 2, msg: fmt.Sprintf("--memory-cap: %v", err)}
	}
	return nil
}

// sizeFlag is a byte count written as 64MiB, 512MB, 2GiB or plain bytes.
type sizeFlag struct{ n int64 }

func (f *sizeFlag) String() string { return strconv.FormatInt(f.n, 10) }
func (f *sizeFlag) Type() string   { return "bytes" }
func (f *sizeFlag) Set(s string) error {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	num, mult := s, int64(1)
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			num, mult = n, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || (n < 0 && n != -1) || (mult > 1 && n > (1<<62)/mult) {
		return fmt.Errorf("%q: want a size such as 64MiB, 512MB or a number of bytes", s)
	}
	f.n = n * mult
	return nil
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
	fs.Int64Var(&r.l.MaxOrderValue, "max-order-value", r.l.MaxOrderValue, "risk: most won one buy may be worth (sells of held shares are exempt)")
	fs.IntVar(&r.l.MaxOpenOrders, "max-open-orders", r.l.MaxOpenOrders, "risk: most working orders per strategy")
	fs.IntVar(&r.l.MaxOrdersPerMinute, "max-orders-per-minute", r.l.MaxOrdersPerMinute, "risk: most orders per strategy in any minute")
	fs.Int64Var(&r.l.MaxDailyLoss, "max-daily-loss", r.l.MaxDailyLoss, "risk: a strategy's loss in one KST day that stops its new buys, won")
	fs.Int64Var(&r.l.MaxAccountDailyLoss, "max-account-daily-loss", r.l.MaxAccountDailyLoss, "risk: the account's loss in one KST day that stops every new buy, won")
}
