package kis

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Quote is the current price snapshot of a stock (inquire-price, §8.1).
type Quote struct {
	Symbol     market.Symbol
	Price      int64 // stck_prpr
	Change     int64 // prdy_vrss
	Sign       string
	ChangeRate float64 // prdy_ctrt, percent
	Open       int64
	High       int64
	Low        int64
	Volume     int64 // acml_vol
	Value      int64 // acml_tr_pbmn, won
	Base       int64 // stck_sdpr, previous close
	Upper      int64 // stck_mxpr, upper price limit
	Lower      int64 // stck_llam, lower price limit
	TickSize   int64 // aspr_unit
	LotSize    int64 // hts_deal_qty_unit_val
	Status     string
}

// Price returns the current price of sym on KRX.
func (c *Client) Price(ctx context.Context, sym market.Symbol) (Quote, error) {
	q := url.Values{"FID_COND_MRKT_DIV_CODE": {"J"}, "FID_INPUT_ISCD": {string(sym)}}
	var out struct {
		Output map[string]string `json:"output"`
	}
	req := request{method: http.MethodGet, path: "/uapi/domestic-stock/v1/quotations/inquire-price", tr: TRPrice, query: q}
	if _, err := c.call(ctx, req, &out); err != nil {
		return Quote{}, fmt.Errorf("kis price %s: %w", sym, err)
	}
	return quoteFrom(sym, out.Output)
}

func quoteFrom(sym market.Symbol, o map[string]string) (Quote, error) {
	n := nums{what: "inquire-price output"}
	if o["stck_prpr"] == "" {
		return Quote{}, fmt.Errorf("kis price %s: response has no stck_prpr", sym)
	}
	q := Quote{Symbol: sym, Price: n.int("stck_prpr", o["stck_prpr"]), Change: n.int("prdy_vrss", o["prdy_vrss"]),
		Sign: o["prdy_vrss_sign"], ChangeRate: n.float("prdy_ctrt", o["prdy_ctrt"]),
		Open: n.int("stck_oprc", o["stck_oprc"]), High: n.int("stck_hgpr", o["stck_hgpr"]), Low: n.int("stck_lwpr", o["stck_lwpr"]),
		Volume: n.int("acml_vol", o["acml_vol"]), Value: n.int("acml_tr_pbmn", o["acml_tr_pbmn"]),
		Base: n.int("stck_sdpr", o["stck_sdpr"]), Upper: n.int("stck_mxpr", o["stck_mxpr"]), Lower: n.int("stck_llam", o["stck_llam"]),
		TickSize: n.int("aspr_unit", o["aspr_unit"]), LotSize: n.int("hts_deal_qty_unit_val", o["hts_deal_qty_unit_val"]),
		Status: o["iscd_stat_cls_code"]}
	if n.err != nil {
		return Quote{}, fmt.Errorf("kis price %s: %w", sym, n.err)
	}
	return q, nil
}

// DailyBars returns daily bars of sym from from to to (inclusive, KST days),
// oldest first, adjusted for splits when adjusted is true. KIS sends at most
// 100 rows per call, newest first; DailyBars pages back until from.
func (c *Client) DailyBars(ctx context.Context, sym market.Symbol, from, to time.Time, adjusted bool) ([]market.Bar, error) {
	adj := "1"
	if adjusted {
		adj = "0"
	}
	start := from.In(market.Seoul).Format("20060102")
	end := to.In(market.Seoul).Format("20060102")
	var bars []market.Bar
	for page := 0; page < maxPages && end >= start; page++ {
		q := url.Values{"FID_COND_MRKT_DIV_CODE": {"J"}, "FID_INPUT_ISCD": {string(sym)}, "FID_INPUT_DATE_1": {start},
			"FID_INPUT_DATE_2": {end}, "FID_PERIOD_DIV_CODE": {"D"}, "FID_ORG_ADJ_PRC": {adj}}
		rows, err := c.barRows(ctx, request{method: http.MethodGet, tr: TRDailyBars, query: q,
			path: "/uapi/domestic-stock/v1/quotations/inquire-daily-itemchartprice"})
		if err != nil {
			return nil, fmt.Errorf("kis daily bars %s: %w", sym, err)
		}
		oldest, got, err := dailyBars(sym, rows, &bars)
		if err != nil {
			return nil, fmt.Errorf("kis daily bars %s: %w", sym, err)
		}
		if got == 0 {
			break
		}
		end = oldest.AddDate(0, 0, -1).Format("20060102")
	}
	slices.SortFunc(bars, func(a, b market.Bar) int { return a.Start.Compare(b.Start) })
	return slices.CompactFunc(bars, func(a, b market.Bar) bool { return a.Start.Equal(b.Start) }), nil
}

func (c *Client) barRows(ctx context.Context, req request) ([]map[string]string, error) {
	var out struct {
		Output2 []map[string]string `json:"output2"`
	}
	if _, err := c.call(ctx, req, &out); err != nil {
		return nil, err
	}
	return out.Output2, nil
}

// dailyBars appends the rows' bars and returns the oldest day seen.
func dailyBars(sym market.Symbol, rows []map[string]string, dst *[]market.Bar) (time.Time, int, error) {
	var oldest time.Time
	got := 0
	for i, r := range rows {
		if r["stck_bsop_date"] == "" {
			continue // KIS pads short answers with empty rows
		}
		day, err := time.ParseInLocation("20060102", r["stck_bsop_date"], market.Seoul)
		if err != nil {
			return oldest, got, fmt.Errorf("output2[%d]: stck_bsop_date %q: want YYYYMMDD", i, r["stck_bsop_date"])
		}
		n := nums{what: fmt.Sprintf("output2[%d]", i)}
		b := market.Bar{Symbol: sym, Timeframe: market.Day1, Start: day, Open: n.int("stck_oprc", r["stck_oprc"]),
			High: n.int("stck_hgpr", r["stck_hgpr"]), Low: n.int("stck_lwpr", r["stck_lwpr"]),
			Close: n.int("stck_clpr", r["stck_clpr"]), Volume: n.int("acml_vol", r["acml_vol"])}
		if n.err != nil {
			return oldest, got, n.err
		}
		*dst = append(*dst, b)
		got++
		if oldest.IsZero() || day.Before(oldest) {
			oldest = day
		}
	}
	return oldest, got, nil
}

// MinuteBars returns today's one-minute bars of sym up to upTo (KST clock),
// oldest first: at most 30, as one KIS call gives (§8.3). A bar's Start is
// the minute stck_cntg_hour names.
func (c *Client) MinuteBars(ctx context.Context, sym market.Symbol, upTo time.Time) ([]market.Bar, error) {
	q := url.Values{"FID_ETC_CLS_CODE": {""}, "FID_COND_MRKT_DIV_CODE": {"J"}, "FID_INPUT_ISCD": {string(sym)},
		"FID_INPUT_HOUR_1": {upTo.In(market.Seoul).Format("150405")}, "FID_PW_DATA_INCU_YN": {"N"}}
	rows, err := c.barRows(ctx, request{method: http.MethodGet, tr: TRMinuteBars, query: q,
		path: "/uapi/domestic-stock/v1/quotations/inquire-time-itemchartprice"})
	if err != nil {
		return nil, fmt.Errorf("kis minute bars %s: %w", sym, err)
	}
	bars := make([]market.Bar, 0, len(rows))
	for i, r := range rows {
		if r["stck_bsop_date"] == "" {
			continue
		}
		start, err := time.ParseInLocation("20060102150405", r["stck_bsop_date"]+r["stck_cntg_hour"], market.Seoul)
		if err != nil {
			return nil, fmt.Errorf("kis minute bars %s: output2[%d]: date/time %q %q", sym, i, r["stck_bsop_date"], r["stck_cntg_hour"])
		}
		n := nums{what: fmt.Sprintf("kis minute bars %s: output2[%d]", sym, i)}
		b := market.Bar{Symbol: sym, Timeframe: market.Min1, Start: start, Open: n.int("stck_oprc", r["stck_oprc"]),
			High: n.int("stck_hgpr", r["stck_hgpr"]), Low: n.int("stck_lwpr", r["stck_lwpr"]),
			Close: n.int("stck_prpr", r["stck_prpr"]), Volume: n.int("cntg_vol", r["cntg_vol"])}
		if n.err != nil {
			return nil, n.err
		}
		bars = append(bars, b)
	}
	slices.SortFunc(bars, func(a, b market.Bar) int { return a.Start.Compare(b.Start) })
	return bars, nil
}
