package kis

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/qbtrading/qb/lib/market"
)

// Order kinds (ORD_DVSN, §5.1) the client names; any other two-digit code
// may be passed as a string.
const (
	OrdLimit  = "00" // 지정가
	OrdMarket = "01" // 시장가
	OrdBest   = "03" // 최유리지정가
	OrdIOC    = "11" // IOC 지정가
	OrdFOK    = "12" // FOK 지정가
)

// OrderRequest is a new cash order.
type OrderRequest struct {
	Symbol market.Symbol
	Side   market.Side
	Kind   string // ORD_DVSN; "" means OrdLimit when Price > 0, else OrdMarket
	Qty    int64
	Price  int64 // 0 for market orders
}

// OrderAck is KIS's acknowledgement of an order, or of its modify/cancel.
type OrderAck struct {
	Branch  string // KRX_FWDG_ORD_ORGNO, needed to modify or cancel
	OrderNo string // ODNO
	Time    string // ORD_TMD, HHMMSS KST
	// Recovered is true when the response was lost and the order was found
	// in the daily fills instead.
	Recovered bool
}

type orderOutput struct {
	envelope
	Output struct {
		Branch  string `json:"KRX_FWDG_ORD_ORGNO"`
		OrderNo string `json:"ODNO"`
		Time    string `json:"ORD_TMD"`
	} `json:"output"` // encoding/json matches keys case-insensitively, as rvsecncl needs (§5.2)
}

func (r *OrderRequest) kind() string {
	switch {
	case r.Kind != "":
		return r.Kind
	case r.Price > 0:
		return OrdLimit
	}
	return OrdMarket
}

func (r *OrderRequest) validate() error {
	switch {
	case r.Symbol.Validate() != nil:
		return fmt.Errorf("kis order: %w", r.Symbol.Validate())
	case !r.Side.Valid():
		return fmt.Errorf("kis order: side %v is not BUY or SELL", r.Side)
	case r.Qty <= 0:
		return fmt.Errorf("kis order: quantity %d is not positive", r.Qty)
	case r.Price < 0:
		return fmt.Errorf("kis order: price %d is negative", r.Price)
	case r.kind() == OrdLimit && r.Price == 0:
		return fmt.Errorf("kis order: limit order without a price")
	}
	return nil
}

// PlaceOrder sends a cash order (order-cash, §5.1). It is never sent twice:
// if the response is lost (timeout, dropped connection), the client looks
// for the order in today's daily fills and returns it with Recovered set;
// if it is not there after OrderCheckAttempts lookups the error matches
// ErrOrderNotPlaced, and if the lookups fail, ErrOrderStatusUnknown.
//
// ErrOrderNotPlaced means "not found", not "impossible": a request stuck in
// transit longer than the lookups could still arrive. A caller that sends
// again should keep reconciling against DailyOrders (or the execution
// notices) and cancel a late duplicate.
func (c *Client) PlaceOrder(ctx context.Context, r OrderRequest) (OrderAck, error) {
	if err := r.validate(); err != nil {
		return OrderAck{}, err
	}
	if c.cano == "" {
		return OrderAck{}, fmt.Errorf("kis order: no account configured")
	}
	tr := TRBuy
	if r.Side == market.Sell {
		tr = TRSell
	}
	body := map[string]string{"CANO": c.cano, "ACNT_PRDT_CD": c.prdt, "PDNO": string(r.Symbol),
		"ORD_DVSN": r.kind(), "ORD_QTY": strconv.FormatInt(r.Qty, 10), "ORD_UNPR": strconv.FormatInt(r.Price, 10),
		"EXCG_ID_DVSN_CD": "KRX"}
	if r.Side == market.Sell {
		body["SLL_TYPE"] = "01"
	}
	sent := c.cfg.Now()
	var out orderOutput
	_, err := c.call(ctx, request{method: http.MethodPost, path: "/uapi/domestic-stock/v1/trading/order-cash",
		tr: c.tr(tr), body: body}, &out)
	var te *TransportError
	if errors.As(err, &te) {
		c.cfg.Logger.Warn("kis order response lost; checking the daily fills", "tr", c.tr(tr), "symbol", r.Symbol)
		return c.recoverOrder(ctx, r, sent, err)
	}
	if err != nil {
		return OrderAck{}, fmt.Errorf("kis order %s %s: %w", r.Side, r.Symbol, err)
	}
	ack := OrderAck{Branch: out.Output.Branch, OrderNo: out.Output.OrderNo, Time: out.Output.Time}
	c.remember(ack.OrderNo)
	c.cfg.Logger.Info("kis order accepted", "order", ack.OrderNo, "side", r.Side.String(), "symbol", r.Symbol, "qty", r.Qty, "price", r.Price)
	return ack, nil
}

// remember records an order number as acknowledged, so that recovery never
// mistakes it for the lost one.
func (c *Client) remember(orderNo string) {
	c.mu.Lock()
	c.known[normOrderNo(orderNo)] = true
	c.mu.Unlock()
}

func (c *Client) isKnown(orderNo string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.known[normOrderNo(orderNo)]
}

// SameOrderNo reports whether two KIS order numbers name the same order:
// KIS writes "0000006555" in one answer and "6555" in another (§5.1), so
// compare with this, or key maps by NormOrderNo.
func SameOrderNo(a, b string) bool { return normOrderNo(a) == normOrderNo(b) }

// NormOrderNo is the order number without leading zeros, for map keys.
func NormOrderNo(s string) string { return normOrderNo(s) }

// normOrderNo drops leading zeros: KIS writes "0000006555" in one place and
// "6555" in another (§5.1).
func normOrderNo(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

// ReviseRequest modifies or cancels an order (order-rvsecncl, §5.2).
type ReviseRequest struct {
	Branch  string // KRX_FWDG_ORD_ORGNO of the original order
	OrderNo string // the original order's ODNO
	Kind    string // ORD_DVSN; default OrdLimit
	Qty     int64  // shares to modify or cancel; 0 means all that remain
	Price   int64  // new price (modify only)
}

// CancelOrder cancels r.Qty shares (all remaining when 0) of an order.
func (c *Client) CancelOrder(ctx context.Context, r ReviseRequest) (OrderAck, error) {
	return c.revise(ctx, r, "02")
}

// ModifyOrder changes the price (and optionally quantity) of an order.
func (c *Client) ModifyOrder(ctx context.Context, r ReviseRequest) (OrderAck, error) {
	if r.Price <= 0 && (r.Kind == "" || r.Kind == OrdLimit) {
		return OrderAck{}, fmt.Errorf("kis modify order %s: new price missing", r.OrderNo)
	}
	return c.revise(ctx, r, "01")
}

func (c *Client) revise(ctx context.Context, r ReviseRequest, code string) (OrderAck, error) {
	if r.OrderNo == "" || r.Branch == "" {
		return OrderAck{}, fmt.Errorf("kis revise order: order number and branch are required")
	}
	if r.Kind == "" {
		r.Kind = OrdLimit
	}
	all := "N"
	if r.Qty == 0 {
		all = "Y"
	}
	body := map[string]string{"CANO": c.cano, "ACNT_PRDT_CD": c.prdt, "KRX_FWDG_ORD_ORGNO": r.Branch,
		"ORGN_ODNO": r.OrderNo, "ORD_DVSN": r.Kind, "RVSE_CNCL_DVSN_CD": code,
		"ORD_QTY": strconv.FormatInt(r.Qty, 10), "ORD_UNPR": strconv.FormatInt(r.Price, 10),
		"QTY_ALL_ORD_YN": all, "EXCG_ID_DVSN_CD": "KRX"}
	var out orderOutput
	_, err := c.call(ctx, request{method: http.MethodPost, path: "/uapi/domestic-stock/v1/trading/order-rvsecncl",
		tr: c.tr(TRRevise), body: body}, &out)
	if err != nil {
		return OrderAck{}, fmt.Errorf("kis revise order %s: %w", r.OrderNo, err)
	}
	ack := OrderAck{Branch: out.Output.Branch, OrderNo: out.Output.OrderNo, Time: out.Output.Time}
	c.remember(ack.OrderNo)
	return ack, nil
}
