package kisbroker

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/market"
)

// Strategy names a strategy and the symbols it trades, for Sync.
type Strategy struct {
	Name    string
	Symbols []market.Symbol
}

// Share is a strategy's part of the account when the run starts.
type Share struct {
	Cash      int64
	Positions []market.Position
}

// Sync reads the balance and today's orders before the run starts. The
// cash available after settlement (D+2) is split evenly between the
// strategies (the remainder to the first by name); each holding goes to
// the first strategy by name that trades its symbol, and holdings no
// strategy trades are logged and left alone. Today's orders placed before
// this run are remembered so that their notices are not mistaken for
// this run's. The shares come back in the order of strats.
func (a *Account) Sync(ctx context.Context, strats []Strategy) ([]Share, error) {
	bal, err := a.cfg.Client.Balance(ctx)
	if err != nil {
		return nil, fmt.Errorf("kis sync: balance: %w", err)
	}
	recs, err := a.cfg.Client.DailyOrders(ctx, kis.DailyQuery{})
	if err != nil {
		return nil, fmt.Errorf("kis sync: daily orders: %w", err)
	}
	a.remember(recs)
	a.mu.Lock()
	a.books.adopt(&bal)
	a.mu.Unlock()
	order := make([]int, len(strats))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return strings.Compare(strats[x].Name, strats[y].Name) })
	shares := make([]Share, len(strats))
	if len(strats) == 0 {
		return shares, nil
	}
	each := bal.CashD2 / int64(len(strats))
	for _, i := range order {
		shares[i].Cash = each
	}
	shares[order[0]].Cash += bal.CashD2 - each*int64(len(strats))
	for _, h := range bal.Holdings {
		a.assign(shares, strats, order, h)
	}
	a.cfg.Log.Info().Int64("cash", bal.CashD2).Int("holdings", len(bal.Holdings)).Int("orders_today", len(recs)).
		Int("strategies", len(strats)).Msg("kis account synced")
	return shares, nil
}

// assign gives holding h to the first strategy by name trading its symbol.
func (a *Account) assign(shares []Share, strats []Strategy, order []int, h kis.Holding) {
	if h.Qty <= 0 {
		return
	}
	for _, i := range order {
		if slices.Contains(strats[i].Symbols, h.Symbol) {
			shares[i].Positions = append(shares[i].Positions, market.Position{Symbol: h.Symbol, Qty: h.Qty, Cost: h.Cost})
			return
		}
	}
	a.cfg.Log.Warn().Str("symbol", string(h.Symbol)).Int64("qty", h.Qty).
		Msg("holding at kis that no strategy trades; left alone")
}

// remember marks orders placed before this run, warning about those still
// working: no strategy manages them.
func (a *Account) remember(recs []kis.OrderRecord) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := range recs {
		r := &recs[i]
		a.foreign[kis.NormOrderNo(r.OrderNo)] = true
		if r.Remaining > 0 && !r.Cancelled && !isRevision(r) {
			a.cfg.Log.Warn().Str("symbol", string(r.Symbol)).Str("side", r.Side.String()).Int64("remaining", r.Remaining).
				Msg("order placed before this run is still working at kis; no strategy manages it")
		}
	}
}
