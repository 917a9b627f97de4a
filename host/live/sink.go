package live

import (
	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/lib/market"
)

// LogSink logs every fill and every rejected order: what a user watching
// the host wants to see scroll by.
type LogSink struct {
	Log zerolog.Logger
}

var _ engine.Sink = LogSink{}

// Publish logs fills and rejections; bars and other order updates are quiet.
func (s LogSink) Publish(ev *engine.Event) {
	switch {
	case ev.Kind == engine.EventFill:
		f := &ev.Fill
		s.Log.Info().Str("strategy", ev.Strategy).Str("symbol", string(f.Symbol)).
			Str("side", f.Side.String()).Int64("qty", f.Qty).Int64("price", f.Price).
			Int64("fee", f.Fee).Int64("tax", f.Tax).Time("at", f.Time).Msg("fill")
	case ev.Kind == engine.EventOrder && ev.Order.Status == market.OrderRejected:
		o := &ev.Order
		s.Log.Warn().Str("strategy", ev.Strategy).Str("symbol", string(o.Symbol)).
			Str("side", o.Side.String()).Int64("qty", o.Qty).Str("reason", o.Reason).Msg("order rejected")
	}
}
