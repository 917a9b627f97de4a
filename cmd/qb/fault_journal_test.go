package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/record"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

// storeJournal writes to the store what a killed qb journaled and the
// store lacks, as the next qb run does before it restores.
func storeJournal(t *testing.T, target, data string) {
	t.Helper()
	st := openTestStore(t, target)
	rec, err := record.New(record.Config{Store: recStore{st}, Durable: st, Dir: filepath.Join(data, "spool")})
	if err != nil {
		t.Fatal(err)
	}
	rec.Start(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := errors.Join(rec.Recover(ctx), rec.Close(ctx)); err != nil {
		t.Fatal(err)
	}
}

// firstTick is the time of the oldest stored tick after after (zero when
// none).
func firstTick(st sqldb.Store, after time.Time) (time.Time, error) {
	ctx := context.Background()
	switch s := st.(type) {
	case *sqldb.Postgres:
		var t *time.Time
		err := s.Pool().QueryRow(ctx, `SELECT min(time) FROM ticks WHERE time > $1`, after).Scan(&t)
		if err != nil || t == nil {
			return time.Time{}, err
		}
		return *t, nil
	case *sqldb.SQLite:
		var us sql.NullInt64 // unix microseconds
		err := s.DB().QueryRowContext(ctx, `SELECT min(time) FROM ticks WHERE time > ?`, after.UnixMicro()).Scan(&us)
		if err != nil || !us.Valid {
			return time.Time{}, err
		}
		return time.UnixMicro(us.Int64), nil
	}
	return time.Time{}, nil
}

// rester keeps one resting limit order at the last close: a buy while it
// holds fewer than three shares, else a sell. Orders fill within a few
// bars, so there are fills whenever the market runs. It logs every bar and
// every fill, so a test can tell the engine kept going.
const rester = `
local s = { name = "rester", symbols = { "005930" }, timeframe = "1m" }
local bars = 0
function s.on_bar(ctx, bar)
  bars = bars + 1
  ctx.log.info("bar seen", { n = bars })
  if #ctx.orders() > 0 then return end
  if ctx.position(bar.symbol).qty < 3 then
    ctx.buy(bar.symbol, 1, bar.close)
  else
    ctx.sell(bar.symbol, 1, bar.close)
  end
end
function s.on_fill(ctx, fill)
  ctx.log.info("fill heard", { order = fill.order_id, side = fill.side, qty = fill.qty, price = fill.price })
end
return s
`

// outage makes a store unreachable for qb and brings it back.
type outage interface {
	target() string
	down(t *testing.T)
	up(t *testing.T)
}

// sqliteLock holds a SQLite store's write lock from another connection:
// qb's writes wait out their busy timeout and fail, as with a server down.
type sqliteLock struct {
	path string
	db   *sql.DB
	conn *sql.Conn
}

func (l *sqliteLock) target() string { return l.path }

func (l *sqliteLock) down(t *testing.T) {
	t.Helper()
	st := openTestStore(t, l.path)
	l.db = st.(*sqldb.SQLite).DB()
	ctx := context.Background()
	conn, err := l.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	l.conn = conn
}

func (l *sqliteLock) up(t *testing.T) {
	t.Helper()
	if _, err := l.conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	l.conn.Close()
}

func eachOutage(t *testing.T, fn func(t *testing.T, o outage)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, &sqliteLock{path: filepath.Join(t.TempDir(), "qb.db")}) })
	t.Run("postgres", func(t *testing.T) { fn(t, privatePostgres(t)) })
}

// logged returns the child's log lines with this message, decoded.
func (c *child) logged(msg string) []map[string]any {
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(c.log.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line map[string]any
		if json.Unmarshal(sc.Bytes(), &line) == nil && line["message"] == msg {
			out = append(out, line)
		}
	}
	return out
}

// waitCount waits until the child has logged msg at least n times.
func (c *child) waitCount(t *testing.T, msg string, n int, d time.Duration, why string) {
	t.Helper()
	for deadline := time.Now().Add(d); len(c.logged(msg)) < n; time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-c.done:
			t.Fatalf("qb ended (%v) before %d %q lines:\n%.4000s", err, n, msg, c.log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d %q lines in %v, want %d:\n%.3000s", why, len(c.logged(msg)), msg, d, n, tail(c.log.String(), 3000))
		}
	}
}

// heard is the order numbers of the fills the strategy heard of, each
// counted once per fill.
func heard(c *child) map[int64]int {
	out := map[int64]int{}
	for _, l := range c.logged("fill heard") {
		out[int64(l["order"].(float64))]++
	}
	return out
}

// storedFill is a stored fill with its order's number in the strategy.
type storedFill struct {
	market.Fill
	seq int64
}

func readFills(t *testing.T, target string) []storedFill {
	t.Helper()
	st := openTestStore(t, target)
	defer st.Close()
	ctx := context.Background()
	fills, err := st.Fills(ctx, "rester", allTime[0], allTime[1])
	if err != nil {
		t.Fatal(err)
	}
	seqs := map[int64]int64{}
	const q = `SELECT id, seq FROM orders`
	var rows interface {
		Next() bool
		Scan(...any) error
		Close()
	}
	switch s := st.(type) {
	case *sqldb.Postgres:
		r, err := s.Pool().Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		rows = r
	case *sqldb.SQLite:
		r, err := s.DB().QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		rows = sqlRows{r}
	}
	for rows.Next() {
		var id, seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			t.Fatal(err)
		}
		seqs[id] = seq
	}
	rows.Close()
	out := make([]storedFill, len(fills))
	for i, f := range fills {
		seq, ok := seqs[f.OrderID]
		if !ok {
			t.Errorf("fill of order %d stored, the order is not", f.OrderID)
		}
		out[i] = storedFill{f, seq}
	}
	return out
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }

// checkFillsStored checks that every fill the strategy heard of is stored,
// once, and that no order (all are for one share) filled twice, in the
// store or across runs. It returns the stored fills no hook heard of: at
// most one, journaled by a run killed before its on_fill ran.
func checkFillsStored(t *testing.T, stored []storedFill, runs ...*child) []storedFill {
	t.Helper()
	booked := map[int64]int{}
	for _, c := range runs {
		for seq, n := range heard(c) {
			booked[seq] += n
		}
	}
	inStore := map[int64]int{}
	var unheard []storedFill
	for _, f := range stored {
		inStore[f.seq]++
		if booked[f.seq] == 0 {
			unheard = append(unheard, f)
		}
	}
	for seq, n := range booked {
		if n > 1 {
			t.Errorf("order %d filled %d times: it was sent again after it filled", seq, n)
		}
		if inStore[seq] == 0 {
			t.Errorf("fill of order %d booked but not stored", seq)
		}
	}
	for seq, n := range inStore {
		if n > 1 {
			t.Errorf("order %d has %d fills stored", seq, n)
		}
	}
	if len(unheard) > 1 {
		t.Errorf("%d stored fills no strategy heard of: %+v", len(unheard), unheard)
	}
	return unheard
}

func faultArgs(scripts, target, data string) []string {
	return []string{"run", "--scripts", scripts, "--store", target, "--data-dir", data, "--warmup", "0",
		"--pace", "60s", "--report-every", "1h", "--watch=false", "--log-format", "json"}
}

// throughOutage starts qb, lets it trade, takes the store away and waits
// until, with the store down, the strategy has seen bars and fills go on:
// the engine does not wait for the store.
func throughOutage(t *testing.T, o outage, scripts, data string) *child {
	t.Helper()
	c := startQB(t, faultArgs(scripts, o.target(), data)...)
	c.waitLog(t, "running; Ctrl-C stops")
	c.waitCount(t, "fill heard", 2, time.Minute, "trading before the outage")
	o.down(t)
	bars, fills := len(c.logged("bar seen")), len(c.logged("fill heard"))
	c.waitCount(t, "bar seen", bars+30, 30*time.Second, "the engine stalled with the store down")
	c.waitCount(t, "fill heard", fills+3, 30*time.Second, "no fills with the store down")
	t.Logf("with the store down: %d bars, %d fills", len(c.logged("bar seen"))-bars, len(c.logged("fill heard"))-fills)
	return c
}

// restoredAccount is the "account restored" line of a run: cash, shares
// of 005930 and the working orders' numbers.
func restoredAccount(t *testing.T, c *child) (cash, qty int64, open []int64) {
	t.Helper()
	line := c.waitLog(t, "account restored")
	cash = int64(line["cash"].(float64))
	if ps, ok := line["positions"].([]any); ok {
		for _, p := range ps {
			if m := p.(map[string]any); m["Symbol"] == "005930" {
				qty = int64(m["Qty"].(float64))
			}
		}
	}
	if oo, ok := line["open_orders"].([]any); ok {
		for _, o := range oo {
			open = append(open, int64(o.(map[string]any)["seq"].(float64)))
		}
	}
	return cash, qty, open
}

// implied is the cash and position the fills make from the starting cash.
func implied(fills []storedFill) (cash, qty int64) {
	cash = 100_000_000
	for _, f := range fills {
		cash += f.CashDelta()
		if f.Side == market.Buy {
			qty += f.Qty
		} else {
			qty -= f.Qty
		}
	}
	return cash, qty
}

// qb killed with -9 while the store is down, after fills it booked and
// could not store, restarts (store back) with every one of them: cash and
// position are what the fills imply, and no filled order comes back as
// working or fills a second time.
func TestFaultStoreDownThenKill9(t *testing.T) {
	long(t, "runs qb twice around a store outage")
	eachOutage(t, func(t *testing.T, o outage) {
		scripts, data := t.TempDir(), t.TempDir()
		writeScript(t, scripts, "rester.lua", rester)
		first := throughOutage(t, o, scripts, data)
		first.kill(t)
		o.up(t)

		second := startQB(t, faultArgs(scripts, o.target(), data)...)
		cash, qty, open := restoredAccount(t, second)
		second.waitLog(t, "running; Ctrl-C stops")
		second.waitCount(t, "fill heard", 2, time.Minute, "trading after the restart")
		second.stop(t)

		stored := readFills(t, o.target())
		unheard := checkFillsStored(t, stored, first, second)
		// The restored account is the first run's fills: those it heard of,
		// and at most one it journaled before it was killed.
		var firstRun []storedFill
		heard1 := heard(first)
		for _, f := range stored {
			if heard1[f.seq] > 0 || (len(unheard) == 1 && f == unheard[0] && heard(second)[f.seq] == 0) {
				firstRun = append(firstRun, f)
			}
		}
		wantCash, wantQty := implied(firstRun)
		t.Logf("%d fills stored, %d of the killed run (%d unheard); restored cash %d, %d shares, working %v",
			len(stored), len(firstRun), len(unheard), cash, qty, open)
		if cash != wantCash || qty != wantQty {
			t.Errorf("restored cash %d, %d shares; the first run's stored fills (%d) imply %d, %d shares",
				cash, qty, len(firstRun), wantCash, wantQty)
		}
		for _, seq := range open {
			for _, f := range firstRun {
				if f.seq == seq {
					t.Errorf("order %d restored as working, though it filled before the kill", seq)
				}
			}
		}
	})
}

// qb trading through a store outage, stopped cleanly once the store is
// back, has stored every fill it booked, and the next start restores
// them.
func TestFaultStoreDownThenBack(t *testing.T) {
	long(t, "runs qb twice around a store outage")
	eachOutage(t, func(t *testing.T, o outage) {
		scripts, data := t.TempDir(), t.TempDir()
		writeScript(t, scripts, "rester.lua", rester)
		first := throughOutage(t, o, scripts, data)
		o.up(t)
		fills := len(first.logged("fill heard"))
		first.waitCount(t, "fill heard", fills+2, time.Minute, "trading after the store came back")
		first.stop(t)

		stored := readFills(t, o.target())
		if unheard := checkFillsStored(t, stored, first); len(unheard) > 0 {
			t.Errorf("fills stored that the strategy never heard of: %+v", unheard)
		}
		left, _ := filepath.Glob(filepath.Join(data, "spool", "journal-*.jsonl"))
		if len(left) > 0 {
			t.Errorf("journal files %v left after a clean stop with the store up", left)
		}

		second := startQB(t, faultArgs(scripts, o.target(), data)...)
		cash, qty, open := restoredAccount(t, second)
		second.waitLog(t, "running; Ctrl-C stops")
		second.stop(t)
		wantCash, wantQty := implied(stored)
		t.Logf("%d fills stored; restored cash %d, %d shares, working %v", len(stored), cash, qty, open)
		if cash != wantCash || qty != wantQty || len(open) != 0 {
			t.Errorf("restored cash %d, %d shares, working orders %v; the stored fills imply %d, %d shares and none working",
				cash, qty, open, wantCash, wantQty)
		}
	})
}
