package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/sim"
)

// tickLogger logs every tick of every simulated symbol: the ticks the
// engine processed, which the recorder had before it.
func tickLogger() string {
	var syms []string
	for _, in := range sim.Instruments() {
		syms = append(syms, fmt.Sprintf("%q", in.Symbol))
	}
	return `local s = { name = "ticklog", symbols = { ` + strings.Join(syms, ", ") + ` }, timeframe = "1m" }
function s.on_tick(ctx, t) ctx.log.info("tick", { at = t.time }) end
return s
`
}

// sqliteDB opens the SQLite file as a user's SQL client would, for
// queries and locks the store's API does not offer.
func sqliteDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// tickTimes returns every stored tick time (unix microseconds), in order.
func tickTimes(t *testing.T, db *sql.DB) []int64 {
	t.Helper()
	rows, err := db.Query(`SELECT time FROM ticks ORDER BY time`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var us int64
		if err := rows.Scan(&us); err != nil {
			t.Fatal(err)
		}
		out = append(out, us)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// loggedTicks returns the times (unix microseconds) of the ticks a child's
// ticklog strategy logged.
func loggedTicks(t *testing.T, log string) []int64 {
	t.Helper()
	var out []int64
	sc := bufio.NewScanner(strings.NewReader(log))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l struct {
			Message string  `json:"message"`
			At      float64 `json:"at"`
		}
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Message == "tick" {
			out = append(out, int64(math.Round(l.At*1000))*1000)
		}
	}
	return out
}

// resumedAt is the market time the child's simulator resumed from.
func resumedAt(t *testing.T, c *child) int64 {
	t.Helper()
	line := c.waitLog(t, "simulated market resumes after the stored run")
	at, err := time.Parse(time.RFC3339Nano, line["from"].(string))
	if err != nil {
		t.Fatal(err)
	}
	return at.UnixMicro()
}

// Issue 11: a host restarted while the recorder's spill file (written
// while the store was unavailable) waits for replay must resume the
// simulated market after the spill's last tick, not after the store's:
// otherwise a second tape covers the spill's span. The simulator prints
// one tick a market second, so no two stored ticks may share a time.
func TestFaultRestartWithSpillNoOverlap(t *testing.T) {
	long(t, "runs qb twice")
	scripts, data := t.TempDir(), t.TempDir()
	writeScript(t, scripts, "quiet.lua", `local s = { name = "quiet", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, t) end
return s
`)
	args := []string{"run", "--scripts", scripts, "--data-dir", data, "--warmup", "0", "--pace", "5s",
		"--report-every", "1h", "--watch=false", "--log-format", "json"}
	first := startQB(t, args...)
	first.waitLog(t, "running; Ctrl-C stops")
	time.Sleep(500 * time.Millisecond) // some ticks reach the store

	// Another program holds the SQLite write lock: the recorder cannot
	// write, and its records go to the spill file.
	db := sqliteDB(t, filepath.Join(data, "qb.db"))
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	// Long enough for the old recorder too, which spilled only once its
	// 16,384 records of memory were full (4,680 ticks a second here).
	time.Sleep(8 * time.Second)
	first.kill(t)
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	spills, _ := filepath.Glob(filepath.Join(data, "spool", "spill-*.jsonl"))
	if len(spills) == 0 {
		t.Fatal("no spill file after the store was locked for 8 s: the test proves nothing")
	}
	for _, f := range spills {
		fi, _ := os.Stat(f)
		t.Logf("spill %s: %d bytes", filepath.Base(f), fi.Size())
	}
	stored := tickTimes(t, db)
	if len(stored) == 0 {
		t.Fatal("no tick stored before the lock")
	}

	second := startQB(t, args...)
	from := resumedAt(t, second)
	second.waitLog(t, "running; Ctrl-C stops")
	// Long enough to reach the span of the old recorder's spill file, which
	// began 16,384 ticks after the store's last one.
	time.Sleep(6 * time.Second)
	// Replaying the first run's spill while recording 4,680 ticks a second
	// can take SQLite (under -race) past the 30 s Ctrl-C allows the
	// recorder: qb then exits 1 and leaves the rest in the spool for the
	// next start, as documented. Either ending is right here; what is
	// stored must not overlap.
	_ = second.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-second.done:
		if err != nil && !strings.Contains(second.log.String(), "for the next start") {
			t.Fatalf("qb run after Ctrl-C: %v\n%.4000s", err, second.log.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("qb run did not stop within a minute of Ctrl-C")
	}

	t.Logf("stored %d ticks before, %d after; resumed at %v after %v", len(stored), len(tickTimes(t, db)), time.UnixMicro(from), time.UnixMicro(stored[len(stored)-1]))
	if from <= stored[len(stored)-1] {
		t.Errorf("resumed at %v, not after the store's last tick %v", time.UnixMicro(from), time.UnixMicro(stored[len(stored)-1]))
	}
	all := tickTimes(t, db)
	if len(all) <= len(stored) {
		t.Fatalf("%d ticks stored after the restart, %d before", len(all), len(stored))
	}
	spilled := 0
	for i := 1; i < len(all); i++ {
		if all[i] == all[i-1] {
			t.Fatalf("two stored ticks at %v (of %d): two tapes over the same span", time.UnixMicro(all[i]), len(all))
		}
		if all[i] > stored[len(stored)-1] && all[i] < from {
			spilled++
		}
	}
	if spilled == 0 {
		t.Fatal("no tick from the spill file between the stored run and the resumed one")
	}
}

// Issue 11: kill -9 loses only what the recorder held for less than its
// documented bound, 100 ms (2 × the 50 ms FlushInterval). Each child is
// killed 150 ms after the store was seen to grow (the old recorder wrote
// every 200 ms, so it then held more than 100 ms); the next child resumes
// the market just after the last tick kept (store and spill), so the
// ticks a killed child processed at or after that point are the ones it
// lost.
func TestFaultKillLosesAtMostTheBound(t *testing.T) {
	long(t, "runs qb four times")
	scripts, data := t.TempDir(), t.TempDir()
	writeScript(t, scripts, "ticklog.lua", tickLogger())
	const pace = 60 * time.Second // 390 ticks a wall second
	args := []string{"run", "--scripts", scripts, "--data-dir", data, "--warmup", "0", "--pace", pace.String(),
		"--report-every", "1h", "--watch=false", "--log-format", "json"}
	gap := float64(time.Second) * float64(pace) / float64(23400*time.Second) // wall time between two ticks
	bound := int(math.Ceil(float64(100*time.Millisecond)/gap)) + 1           // 100 ms of ticks, and the one on the edge

	var logs [][]int64 // per killed child, the ticks it processed
	var froms []int64  // per child after the first, where its market resumed
	var db *sql.DB
	for i := range 4 {
		c := startQB(t, args...)
		if i > 0 {
			froms = append(froms, resumedAt(t, c))
		}
		c.waitLog(t, "running; Ctrl-C stops")
		if i == 3 {
			c.stop(t) // the last run replays what the others spilled
			break
		}
		if db == nil {
			db = sqliteDB(t, filepath.Join(data, "qb.db"))
		}
		time.Sleep(time.Second)
		var last sql.NullInt64
		_ = db.QueryRow(`SELECT max(time) FROM ticks`).Scan(&last)
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(2 * time.Millisecond) {
			var now sql.NullInt64
			if err := db.QueryRow(`SELECT max(time) FROM ticks`).Scan(&now); err != nil {
				t.Fatal(err)
			}
			if now != last {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the store did not grow for 10 s")
			}
		}
		time.Sleep(150 * time.Millisecond)
		c.kill(t)
		logs = append(logs, loggedTicks(t, c.log.String()))
	}
	all := tickTimes(t, db)
	for i, logged := range logs {
		if len(logged) == 0 {
			t.Fatalf("child %d logged no tick", i)
		}
		lost := 0
		for _, at := range logged {
			if at >= froms[i] {
				lost++
			}
		}
		// And no hole before: every tick from the child's first to the
		// next child's start is stored.
		kept := 0
		for _, at := range all {
			if at >= logged[0] && at < froms[i] {
				kept++
			}
		}
		if want := int((froms[i] - logged[0]) / 1e6); kept != want {
			t.Errorf("child %d: %d ticks stored between its first and the next start, want %d", i, kept, want)
		}
		t.Logf("child %d: processed %d ticks, lost %d (bound %d)", i, len(logged), lost, bound)
		if lost > bound {
			t.Errorf("child %d: kill -9 lost %d processed ticks, more than 100 ms of them (%d at %v a tick)", i, lost, bound, time.Duration(gap))
		}
	}
}

// kisCounter logs every trade it gets.
const kisCounter = `local s = {name='counter', symbols={'005930'}, timeframe='1m'}
function s.on_tick(ctx, t) ctx.log.info('tick', {at = t.time, price = t.price}) end
return s
`

// storedTicks counts the SQLite store's ticks.
func storedTicks(t *testing.T, path string) int {
	t.Helper()
	var n int
	if err := sqliteDB(t, path).QueryRow(`SELECT count(*) FROM ticks`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Issue 11: KIS gives no trade number, and many trades print in the same
// second. Keyed on (symbol, time, seq 0) all but one of them collided in
// the store and were dropped; every trade the feed delivers is stored.
func TestFaultKISSameSecondAllStored(t *testing.T) {
	srv, getenv := kisServer(t, kistest.Options{})
	scripts, data := t.TempDir(), t.TempDir()
	writeScript(t, scripts, "counter.lua", kisCounter)
	out, stop := startRun(t, getenv, "run", "--feed", "kis", "--scripts", scripts, "--data-dir", data,
		"--watch=false", "--log-format", "json")
	waitUntil(t, "subscription", out, func() bool { return srv.Subscribers(kis.TRTrade, "005930") == 1 })
	at := time.Now().Truncate(time.Second)
	const n = 82
	for i := range n {
		srv.Publish(market.Tick{Time: at, Symbol: "005930", Price: 70_000 + int64(i%5)*100, Volume: 10})
	}
	waitUntil(t, "every trade processed", out, func() bool { return len(jsonLines(t, out.String(), "tick")) == n })
	if err := stop(); err != nil {
		t.Fatalf("qb run: %v\n%s", err, out.String())
	}
	if got := storedTicks(t, filepath.Join(data, "qb.db")); got != n {
		t.Fatalf("%d ticks stored, the feed delivered %d in the same second", got, n)
	}
}

// Issue 11: the KIS server restarts (on the same ports) and its running
// volume starts again from zero. The feed reconnects; every trade after
// the restart reaches the strategy and the store: none is taken for a
// repeat of one before.
func TestFaultKISServerRestartNoTradeDropped(t *testing.T) {
	srv, getenv := kisServer(t, kistest.Options{})
	scripts, data := t.TempDir(), t.TempDir()
	writeScript(t, scripts, "counter.lua", kisCounter)
	out, stop := startRun(t, getenv, "run", "--feed", "kis", "--scripts", scripts, "--data-dir", data,
		"--watch=false", "--log-format", "json")
	waitUntil(t, "subscription", out, func() bool { return srv.Subscribers(kis.TRTrade, "005930") == 1 })
	start := time.Now().Truncate(time.Second).Add(-time.Minute)
	publish := func(s *kistest.Server, from, to int) {
		for i := from; i < to; i++ {
			s.Publish(market.Tick{Time: start.Add(time.Duration(i) * time.Second), Symbol: "005930", Price: 70_000 + int64(i)*10, Volume: 100})
		}
	}
	ticks := func(n int) func() bool { return func() bool { return len(jsonLines(t, out.String(), "tick")) == n } }
	publish(srv, 0, 20)
	waitUntil(t, "20 trades", out, ticks(20))

	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := kistest.New(kistest.Options{RESTAddr: strings.TrimPrefix(srv.URL(), "http://"),
		WSAddr: strings.TrimPrefix(srv.WSURL(), "ws://")})
	if err != nil {
		t.Fatalf("restart on the same ports: %v", err)
	}
	t.Cleanup(func() { again.Close() })
	waitUntil(t, "subscription to the restarted server", out, func() bool { return again.Subscribers(kis.TRTrade, "005930") == 1 })
	publish(again, 20, 40) // running volume 100, 200, … again: below the 2,000 before
	waitUntil(t, "40 trades", out, ticks(40))
	if err := stop(); err != nil {
		t.Fatalf("qb run: %v\n%s", err, out.String())
	}
	if got := storedTicks(t, filepath.Join(data, "qb.db")); got != 40 {
		t.Fatalf("%d ticks stored, want the 40 published", got)
	}
}
