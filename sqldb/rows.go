package sqldb

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// orderRow is an order as stored, before its text columns are parsed.
type orderRow struct {
	ID, Seq                    int64
	Strategy, Symbol           string
	Side, Type, Status, Reason string
	Qty, Price, FilledQty      int64
	Created                    time.Time
	Updated                    *time.Time
	Sessions                   int
}

func (r *orderRow) order(norm func(time.Time) time.Time) (market.Order, error) {
	side, err := market.ParseSide(r.Side)
	if err != nil {
		return market.Order{}, fmt.Errorf("order %d: %w", r.ID, err)
	}
	typ, err := parseOrderType(r.Type)
	if err != nil {
		return market.Order{}, fmt.Errorf("order %d: %w", r.ID, err)
	}
	status, err := market.ParseOrderStatus(r.Status)
	if err != nil {
		return market.Order{}, fmt.Errorf("order %d: %w", r.ID, err)
	}
	o := market.Order{
		ID: r.ID, Seq: r.Seq, Strategy: r.Strategy, Symbol: market.Symbol(r.Symbol), Side: side, Type: typ,
		Qty: r.Qty, Price: r.Price, Created: norm(r.Created), Status: status,
		FilledQty: r.FilledQty, Reason: r.Reason, Sessions: r.Sessions,
	}
	if r.Updated != nil {
		o.Updated = norm(*r.Updated)
	}
	return o, nil
}

func checkPosition(account string, p *market.Position) error {
	switch {
	case account == "":
		return fmt.Errorf("account is empty")
	case p.Symbol.Validate() != nil:
		return p.Symbol.Validate()
	case p.Qty < 0:
		return fmt.Errorf("position %s: qty %d is negative", p.Symbol, p.Qty)
	}
	return nil
}

func checkState(strategy string, state []byte) error {
	if strategy == "" {
		return fmt.Errorf("save state: strategy name is empty")
	}
	if len(state) == 0 {
		return fmt.Errorf("save state of %s: state is empty, want JSON (null for none)", strategy)
	}
	if !json.Valid(state) {
		return fmt.Errorf("save state of %s: state is not valid JSON", strategy)
	}
	return nil
}

const maxSeqsQuery = `SELECT strategy, max(seq) FROM orders GROUP BY strategy`

// rowScanner is what both drivers' result sets offer: pgx.Rows and
// *sql.Rows.
type rowScanner interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// scanMaxSeqs reads the rows of maxSeqsQuery into strategy → highest
// order number.
func scanMaxSeqs(rows rowScanner) (map[string]int64, error) {
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var seq int64
		if err := rows.Scan(&name, &seq); err != nil {
			return nil, fmt.Errorf("max order seqs: %w", err)
		}
		out[name] = seq
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("max order seqs: %w", err)
	}
	return out, nil
}

// scanStocks reads stock_metadata rows (code, name, market, sector,
// listed_shares, listed as YYYY-MM-DD or empty).
func scanStocks(rows rowScanner) ([]Stock, error) {
	var out []Stock
	for rows.Next() {
		var st Stock
		var code, listed string
		if err := rows.Scan(&code, &st.Name, &st.Market, &st.Sector, &st.ListedShares, &listed); err != nil {
			return nil, fmt.Errorf("read stocks: %w", err)
		}
		st.Code = market.Symbol(code)
		if listed != "" {
			var err error
			if st.Listed, err = time.ParseInLocation(time.DateOnly, listed, market.Seoul); err != nil {
				return nil, fmt.Errorf("read stocks: %s: listed %q: %w", code, listed, err)
			}
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read stocks: %w", err)
	}
	return out, nil
}
