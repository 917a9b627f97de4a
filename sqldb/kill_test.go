package sqldb_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/record"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

const (
	helperEnv    = "QB_TEST_HELPER_HOST_TARGET"
	helperDirEnv = "QB_TEST_HELPER_HOST_DIR" // the helper's spool: its journal
)

// killedOrder is what the helper host saves before it is killed.
func killedOrder() market.Order {
	o := newOrder(42)
	o.Status = market.OrderPartiallyFilled
	o.FilledQty = 3
	o.Updated = day0.Add(time.Minute)
	return o
}

// A host saves its state through the recorder (orders, fills and positions
// to its journal, state to the store) and is killed with SIGKILL: a new
// host on the same spool writes the journal to the store, as qb run does
// before it restores, and finds the order, the position and the state.
func TestKillNineRestoresState(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		spool := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHost$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"="+target, helperDirEnv+"="+spool)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil || strings.TrimSpace(line) != "saved" {
			_ = cmd.Process.Kill()
			t.Fatalf("helper host said %q, %v", line, err)
		}
		if err := cmd.Process.Kill(); err != nil { // SIGKILL: no Close, no flush
			t.Fatal(err)
		}
		_ = cmd.Wait()

		st := open(t, target, sqldb.Options{})
		r, err := record.New(record.Config{Store: recorderStore{st}, Durable: st, Dir: spool})
		mustDo(t, err)
		r.Start(ctx0)
		ctx, cancel := context.WithTimeout(ctx0, 30*time.Second)
		defer cancel()
		mustDo(t, r.Recover(ctx))
		closeRecorder(t, r)
		orders, err := st.OpenOrders(ctx0)
		mustDo(t, err)
		if len(orders) != 1 {
			t.Fatalf("open orders after kill -9: %+v", orders)
		}
		sameOrder(t, orders[0], killedOrder())
		ps, err := st.Positions(ctx0, "ma_cross")
		mustDo(t, err)
		if len(ps) != 1 || ps[0].Qty != 3 {
			t.Fatalf("positions after kill -9: %+v", ps)
		}
		state, ok, err := st.LoadStrategyState(ctx0, "ma_cross")
		if err != nil || !ok || string(state) != `{"bars_seen":120}` {
			t.Fatalf("state after kill -9: %q, %v, %v", state, ok, err)
		}
	})
}

// TestHelperHost is the host TestKillNineRestoresState kills; it does nothing
// (and passes) when run on its own, rather than skipping, so that CI's list of
// skipped tests holds only the tests a missing service kept from running.
func TestHelperHost(t *testing.T) {
	target := os.Getenv(helperEnv)
	if target == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := sqldb.Open(ctx, target, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := record.New(record.Config{Store: recorderStore{st}, Durable: st, Dir: os.Getenv(helperDirEnv)})
	if err != nil {
		t.Fatal(err)
	}
	mustDo(t, r.SaveOrder(ctx, killedOrder()))
	mustDo(t, r.SaveFill(ctx, market.Fill{OrderID: 42, Strategy: "ma_cross", Symbol: "005930", Side: market.Buy,
		Qty: 3, Price: 70000, Time: day0.Add(time.Minute)}))
	mustDo(t, r.SavePosition(ctx, "ma_cross", market.Position{Symbol: "005930", Qty: 3, Cost: 210000}))
	mustDo(t, r.SaveStrategyState(ctx, "ma_cross", []byte(`{"bars_seen":120}`)))
	fmt.Println("saved")
	<-ctx.Done() // wait to be killed
}

// An error opening PostgreSQL never shows the password.
func TestOpenErrorHidesPassword(t *testing.T) {
	_, err := sqldb.OpenPostgres(ctx0, "postgres://qb:hunter2secret@127.0.0.1:99999/qb", sqldb.Options{})
	if err == nil || strings.Contains(err.Error(), "hunter2secret") {
		t.Fatalf("error = %v", err)
	}
}
