package kisbroker

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/market"
)

// books is what this run believes the account holds at KIS: the balance
// read at Sync, moved by every fill booked since. A gap in the feed (a
// reconnect, a restarted server) is when the two may have parted.
type books struct {
	synced bool
	held   map[market.Symbol]int64
	cash   int64 // CashD2 expected: the last read plus the cash of fills since
}

// adopt makes bal the account's books.
func (k *books) adopt(bal *kis.Balance) {
	k.synced, k.cash, k.held = true, bal.CashD2, heldAt(bal)
}

// fill moves the books by one fill booked into the engine.
func (k *books) fill(f *market.Fill) {
	if k.held == nil {
		k.held = make(map[market.Symbol]int64)
	}
	if f.Side == market.Buy {
		k.held[f.Symbol] += f.Qty
	} else {
		k.held[f.Symbol] -= f.Qty
	}
	k.cash += f.CashDelta()
}

// checkAfterGap reads the balance after a gap in the feed, once the
// fills the gap hid are booked (recs: today's orders that reconcile just
// read), and says what changed at
// KIS that this run did not do: holdings or cash that differ from the
// balance at Sync moved by every fill booked since (an account reset, a
// trade from another program), and working orders KIS no longer lists,
// which are cancelled in the engine. The engine's positions are not
// rewritten: a difference is logged, with what it means for the
// strategies' sells, and logged again at the next gap while it lasts.
func (a *Account) checkAfterGap(ctx context.Context, recs []kis.OrderRecord) error {
	bal, err := a.cfg.Client.Balance(ctx)
	if err != nil {
		return fmt.Errorf("kis check after gap: balance: %w", err)
	}
	listed := make(map[string]bool, len(recs))
	for i := range recs {
		listed[kis.NormOrderNo(recs[i].OrderNo)] = true
	}
	a.mu.Lock()
	booked := a.books
	booked.held = maps.Clone(a.books.held)
	var gone []*order
	for _, id := range slices.Sorted(maps.Keys(a.orders)) {
		ord := a.orders[id]
		if ord.state == placed && ord.booked < ord.req.Qty && !listed[ord.no] {
			ord.state = withdrawn
			gone = append(gone, ord)
		}
	}
	a.mu.Unlock()
	changes := 0
	if booked.synced { // without Sync there is no balance to compare with
		changes += a.compareHoldings(booked.held, heldAt(&bal))
	}
	if booked.synced && bal.CashD2 != booked.cash {
		changes++
		a.cfg.Log.Warn().Int64("kis", bal.CashD2).Int64("booked", booked.cash).
			Msg("kis cash after the gap differs from what this run booked")
	}
	for _, ord := range gone {
		changes++
		strategy, id := ord.strategy, ord.o.ID
		a.cfg.Log.Warn().Int64("order", id).Str("kis_order", ord.no).Msg("working order not at kis after the gap; cancelled")
		a.schedule(func(b Books) {
			if err := b.BrokerUpdate(strategy, id, market.OrderCancelled, "not at kis after the feed's gap"); err != nil {
				a.cfg.Log.Warn().Err(err).Msg("cancel of an order kis no longer lists not applied")
			}
		})
	}
	a.cfg.Log.Info().Int("changes", changes).Int64("cash", bal.CashD2).Int("holdings", len(bal.Holdings)).
		Int("orders_today", len(recs)).Msg("kis account checked after the feed's gap")
	return nil
}

// heldAt is bal's holdings by symbol.
func heldAt(bal *kis.Balance) map[market.Symbol]int64 {
	out := make(map[market.Symbol]int64, len(bal.Holdings))
	for _, h := range bal.Holdings {
		out[h.Symbol] += h.Qty
	}
	return out
}

// compareHoldings logs each symbol whose shares at KIS differ from the
// booked ones and returns how many do.
func (a *Account) compareHoldings(booked, atKIS map[market.Symbol]int64) int {
	syms := slices.Sorted(maps.Keys(booked))
	for s := range atKIS {
		if _, ok := booked[s]; !ok {
			syms = append(syms, s)
		}
	}
	slices.Sort(syms)
	n := 0
	for _, s := range syms {
		if booked[s] == atKIS[s] {
			continue
		}
		n++
		a.cfg.Log.Warn().Str("symbol", string(s)).Int64("kis", atKIS[s]).Int64("booked", booked[s]).
			Msg("kis holdings after the gap differ from what this run booked; the strategies' positions are left as booked, and KIS refuses a sell beyond its holdings")
	}
	return n
}
