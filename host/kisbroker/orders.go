package kisbroker

import (
	"context"
	"errors"
	"fmt"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/market"
)

// orderState is where an order stands with KIS.
type orderState uint8

const (
	queued    orderState = iota + 1 // waiting for the worker
	sending                         // PlaceOrder under way
	placed                          // KIS acknowledged it: it has a number
	lost                            // the response was lost; the daily orders will tell
	withdrawn                       // cancelled before it was sent, or refused
)

// order is one engine order and what KIS knows of it.
type order struct {
	strategy string
	o        market.Order
	req      kis.OrderRequest
	state    orderState
	no       string // normalised KIS order number once placed
	branch   string
	booked   int64 // shares booked into the engine
	value    int64 // won booked into the engine
	short    int64 // shortfall the last reconcile saw, booked if it is still there next time
}

// broker is one strategy's view of the account.
type broker struct {
	a        *Account
	strategy string
}

// Broker returns the engine.Broker of one strategy.
func (a *Account) Broker(strategy string) engine.Broker { return &broker{a: a, strategy: strategy} }

// Submit queues the order for KIS and returns at once; a refusal comes
// back later through Work.
func (b *broker) Submit(o market.Order) error {
	if o.Lifetime() > 1 {
		// A KIS order is a day order; keeping one alive across sessions
		// would mean sending it again each morning, which qb does not do.
		return fmt.Errorf("kis: a GTC order (%d sessions) cannot be sent: KIS takes day orders only", o.Lifetime())
	}
	req, err := kis.RequestFor(&o)
	if err != nil {
		return err
	}
	ord := &order{strategy: b.strategy, o: o, req: req, state: queued}
	b.a.mu.Lock()
	b.a.orders[o.ID] = ord
	b.a.mu.Unlock()
	select {
	case b.a.queue <- ord:
		return nil
	default:
		b.a.mu.Lock()
		delete(b.a.orders, o.ID)
		b.a.mu.Unlock()
		return errors.New("kis: too many orders waiting to be sent")
	}
}

// Cancel withdraws an order not yet sent, or asks KIS to cancel what
// remains of a placed one and waits for the answer. Shares KIS filled
// before the cancel are still booked when their notices arrive.
func (b *broker) Cancel(id int64) error {
	a := b.a
	a.mu.Lock()
	ord := a.orders[id]
	if ord == nil || ord.strategy != b.strategy {
		a.mu.Unlock()
		return fmt.Errorf("kis: order %d is not known", id)
	}
	state, req := ord.state, kis.ReviseRequest{Branch: ord.branch, OrderNo: ord.no}
	if state == queued {
		ord.state = withdrawn
	}
	a.mu.Unlock()
	switch state {
	case queued:
		return nil
	case sending, lost:
		return fmt.Errorf("kis: order %d is still being placed; cancel it once KIS has answered", id)
	case withdrawn:
		return fmt.Errorf("kis: order %d is not working", id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.CancelTimeout)
	defer cancel()
	if _, err := a.cfg.Client.CancelOrder(ctx, req); err != nil {
		return fmt.Errorf("cancel at kis: %w", err)
	}
	return nil
}

// place sends one queued order to KIS.
func (a *Account) place(ctx context.Context, ord *order) {
	a.mu.Lock()
	if ord.state != queued {
		a.mu.Unlock()
		return
	}
	ord.state = sending
	a.mu.Unlock()
	ack, err := a.cfg.Client.PlaceOrder(ctx, ord.req)
	switch {
	case err == nil:
		a.placed(ord, ack)
	case errors.Is(err, kis.ErrOrderStatusUnknown):
		// It may be working at KIS: keep it open and let the daily
		// orders tell. Sending it again could buy twice.
		a.lose(ord)
		a.cfg.Log.Error().Err(err).Int64("order", ord.o.ID).Msg("kis order status unknown; looking for it in the daily orders")
	case errors.Is(err, kis.ErrOrderNotPlaced):
		// Most likely never arrived; refuse it, but keep looking in case
		// it was only late, so that its fills are still booked.
		a.lose(ord)
		a.refuse(ord, err)
	default:
		a.mu.Lock()
		ord.state = withdrawn
		a.mu.Unlock()
		a.refuse(ord, err)
	}
}

// placed records KIS's number for the order and books the notices that
// arrived before it.
func (a *Account) placed(ord *order, ack kis.OrderAck) {
	no := kis.NormOrderNo(ack.OrderNo)
	a.mu.Lock()
	ord.state, ord.no, ord.branch = placed, no, ack.Branch
	a.byNo[no] = ord
	early := a.early[no]
	delete(a.early, no)
	a.mu.Unlock()
	a.cfg.Log.Info().Int64("order", ord.o.ID).Str("kis_order", no).Bool("recovered", ack.Recovered).
		Str("symbol", string(ord.o.Symbol)).Str("side", ord.o.Side.String()).Int64("qty", ord.req.Qty).Msg("order placed at kis")
	for _, n := range early {
		a.Notice(n)
	}
}

func (a *Account) lose(ord *order) {
	a.mu.Lock()
	ord.state = lost
	a.lost = append(a.lost, ord)
	a.mu.Unlock()
}

// refuse ends the order in the engine with KIS's reason.
func (a *Account) refuse(ord *order, err error) {
	strategy, id, reason := ord.strategy, ord.o.ID, "kis: "+err.Error()
	a.schedule(func(b Books) {
		if err := b.BrokerUpdate(strategy, id, market.OrderRejected, reason); err != nil {
			a.cfg.Log.Warn().Err(err).Msg("kis refusal not applied")
		}
	})
}
