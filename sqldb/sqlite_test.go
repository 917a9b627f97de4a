package sqldb_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

// The embedded store under the host's real mix: tick batches, orders and
// state written at once from several goroutines. SQLite has one writer;
// none of these may fail with "database is locked".
func TestSQLiteConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data dir #1", "qb.db") // odd characters survive the DSN
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	st := open(t, path, sqldb.Options{})
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 4 {
		wg.Go(func() {
			for i := range 10 {
				ticks := makeTicks(500, int64(w*100000+i*1000))
				if err := st.WriteTicks(ctx0, ticks); err != nil {
					errs <- err
				}
			}
		})
		wg.Go(func() {
			for i := range 25 {
				o := newOrder(int64(w*1000 + i + 1))
				if err := st.SaveOrder(ctx0, o); err != nil {
					errs <- err
				}
				if err := st.SavePosition(ctx0, "acct", market.Position{Symbol: "005930", Qty: int64(i)}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := queryInt(t, st, `SELECT count(*) FROM ticks`); n != 4*10*500 {
		t.Errorf("ticks = %d, want %d", n, 4*10*500)
	}
	if n := queryInt(t, st, `SELECT count(*) FROM orders`); n != 100 {
		t.Errorf("orders = %d, want 100", n)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not at %s: %v", path, err)
	}
}
