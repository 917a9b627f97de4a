package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

// stock_metadata keeps each stock's listing date, or none, and a second
// save replaces the row.
func TestStocksRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		ctx := context.Background()
		st := open(t, target, sqldb.Options{})
		listed := time.Date(1975, 6, 11, 0, 0, 0, 0, market.Seoul)
		for _, s := range []sqldb.Stock{
			{Code: "293490", Name: "Kakao Games", Market: "KOSDAQ"},
			{Code: "005930", Name: "old name", Market: "KOSDAQ"},
			{Code: "005930", Name: "Samsung Electronics", Market: "KOSPI", Sector: "Electrical & Electronics", Listed: listed},
		} {
			if err := st.SaveStock(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.Stocks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Code != "005930" || got[0].Name != "Samsung Electronics" || got[0].Market != "KOSPI" ||
			got[0].Sector != "Electrical & Electronics" || !got[0].Listed.Equal(listed) ||
			got[1].Code != "293490" || !got[1].Listed.IsZero() || got[1].Market != "KOSDAQ" {
			t.Fatalf("Stocks = %+v", got)
		}
	})
}
