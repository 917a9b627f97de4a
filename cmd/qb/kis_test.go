package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/market"
)

// kisBot buys 10 shares on its first trade and sells 4 on its fourth, and
// logs its books when it stops.
const kisBot = `local s = {name='kisbot', symbols={'005930'}, timeframe='1m'}
local n = 0
function s.on_tick(ctx, t)
  n = n + 1
  if n == 1 then ctx.buy('005930', 10) end
  if n == 4 then ctx.sell('005930', 4) end
end
function s.on_stop(ctx)
  ctx.log.info('final', {cash = ctx.cash(), qty = ctx.position('005930').qty})
end
return s
`

// kisServer starts a protocol server and returns the environment that
// points qb at it.
func kisServer(t *testing.T, opt kistest.Options) (*kistest.Server, func(string) string) {
	t.Helper()
	srv, err := kistest.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	o := srv.Options()
	env := map[string]string{kis.EnvEnv: o.Env.String(), kis.EnvBaseURL: srv.URL(), kis.EnvWSURL: srv.WSURL(),
		kis.EnvAppKey: o.AppKey, kis.EnvAppSecret: o.AppSecret, kis.EnvAccount: o.Account, kis.EnvHTSID: o.HTSID}
	return srv, func(k string) string { return env[k] }
}

// startRun runs qb with args and getenv in the background; stop cancels it
// and returns its error.
func startRun(t *testing.T, getenv func(string) string, args ...string) (out *syncBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncBuffer{}
	m := &Main{Stdout: out, Stderr: out, Getenv: getenv}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, args) }()
	return out, func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			t.Fatal("qb run did not stop")
			return nil
		}
	}
}

func waitUntil(t *testing.T, what string, out *syncBuffer, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 15 s for %s; output:\n%s", what, out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// jsonLines returns the log records with the given message.
func jsonLines(t *testing.T, out, msg string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r map[string]any
		if json.Unmarshal(sc.Bytes(), &r) == nil && r["message"] == msg {
			recs = append(recs, r)
		}
	}
	return recs
}

// qb run --feed kis --broker kis-paper against the protocol server: trades
// reach the strategy, its orders reach the server, the execution notices
// come back as fills, and the engine's books end where the server's are.
// All the while nothing secret is logged.
func TestRunKISPaperEndToEnd(t *testing.T) {
	srv, getenv := kisServer(t, kistest.Options{Cash: 10_000_000})
	dir := t.TempDir()
	writeScript(t, dir, "kisbot.lua", kisBot)
	out, stop := startRun(t, getenv, "run", "--feed", "kis", "--broker", "kis-paper", "--scripts", dir,
		"--store", "none", "--state-dir", t.TempDir(), "--data-dir", t.TempDir(), "--watch=false", "--log-format", "json", "--log-level", "debug")
	o := srv.Options()
	waitUntil(t, "subscriptions", out, func() bool {
		return srv.Subscribers(kis.TRTrade, "005930") == 1 && srv.Subscribers(kis.TRNoticePaper, o.HTSID) == 1
	})
	price := int64(70_000)
	trade := func() {
		srv.Publish(market.Tick{Time: time.Now(), Symbol: "005930", Price: price, Volume: 100})
		price += 100
	}
	fills := func(n int) func() bool { return func() bool { return len(jsonLines(t, out.String(), "fill")) == n } }
	trade() // the strategy buys
	waitUntil(t, "the buy at the server", out, func() bool { return len(srv.Orders()) == 1 })
	trade() // it fills at 70,100
	waitUntil(t, "the buy's fill in the engine", out, fills(1))
	trade()
	trade() // the fourth: it sells
	waitUntil(t, "the sell at the server", out, func() bool { return len(srv.Orders()) == 2 })
	trade() // it fills at 70,400
	waitUntil(t, "the sell's fill in the engine", out, fills(2))
	if err := stop(); err != nil {
		t.Fatalf("qb run: %v\n%s", err, out.String())
	}
	logs := out.String()

	final := jsonLines(t, logs, "final")
	if len(final) != 1 {
		t.Fatalf("%d final lines:\n%s", len(final), logs)
	}
	var costs float64
	for _, f := range jsonLines(t, logs, "fill") {
		costs += f["fee"].(float64) + f["tax"].(float64)
	}
	qty, _ := srv.Position("005930")
	cash, held := final[0]["cash"].(float64), final[0]["qty"].(float64)
	// kistest charges no fees; the engine books KRX's.
	if int64(cash+costs) != srv.Cash() || int64(held) != qty || qty != 6 {
		t.Fatalf("engine cash %v + fees %v, %v shares; server cash %d, %d shares", cash, costs, held, srv.Cash(), qty)
	}
	if want := int64(10_000_000 - 10*70_100 + 4*70_400); srv.Cash() != want {
		t.Fatalf("server cash %d, want %d", srv.Cash(), want)
	}

	t.Run("no secret in the logs", func(t *testing.T) {
		for _, s := range srv.Secrets() {
			if strings.Contains(logs, s) {
				t.Errorf("log output contains credential %s", kis.Mask(s))
			}
		}
		if !strings.Contains(logs, `"venue":"kis"`) {
			t.Error("no KIS log line was captured: the check proves nothing")
		}
	})
}

// ALREADY IN USE: another process holds the app key's session; the run
// ends at once, non-zero, saying so.
func TestRunKISAlreadyInUse(t *testing.T) {
	srv, getenv := kisServer(t, kistest.Options{})
	srv.SetAlreadyInUse(true)
	dir := t.TempDir()
	writeScript(t, dir, "kisbot.lua", kisBot)
	var out syncBuffer
	m := &Main{Stdout: &out, Stderr: &out, Getenv: getenv}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := m.Run(ctx, []string{"run", "--feed", "kis", "--scripts", dir, "--store", "none", "--state-dir", t.TempDir(), "--data-dir", t.TempDir(),
		"--watch=false", "--log-format", "json"})
	if err == nil || ctx.Err() != nil {
		t.Fatalf("run ended with %v (ctx %v), want the ALREADY IN USE error", err, ctx.Err())
	}
	if !strings.Contains(err.Error(), "another program holds this app key") || exitCode(err) == 0 {
		t.Fatalf("error %q (exit %d)", err, exitCode(err))
	}
}

func TestRunBrokerRefusals(t *testing.T) {
	_, paperEnv := kisServer(t, kistest.Options{})
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"kis without --live", []string{"--broker", "kis"}, "--broker kis trades real money: add --live"},
		{"kis --live on a paper env", []string{"--feed", "kis", "--broker", "kis", "--live"}, "needs KIS_ENV=real"},
		{"--live with kis-paper", []string{"--broker", "kis-paper", "--live"}, "--live is for --broker kis"},
		{"unknown broker", []string{"--broker", "ib"}, "want one of [paper kis-paper kis]"},
		{"kis-paper on the simulator", []string{"--broker", "kis-paper"}, "use it with --feed kis"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out syncBuffer
			m := &Main{Stdout: &out, Stderr: &out, Getenv: paperEnv}
			args := append([]string{"run", "--scripts", t.TempDir(), "--store", "none", "--state-dir", t.TempDir(), "--data-dir", t.TempDir()}, tc.args...)
			err := m.Run(context.Background(), args)
			if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v (exit %d), want exit 2 and %q", err, exitCode(err), tc.want)
			}
		})
	}
}

// Stopping qb cancels the strategies' working orders at KIS.
func TestRunKISStopCancelsWorkingOrders(t *testing.T) {
	srv, getenv := kisServer(t, kistest.Options{})
	dir := t.TempDir()
	writeScript(t, dir, "low.lua", `local s = {name='low', symbols={'005930'}, timeframe='1m'}
function s.on_tick(ctx, t) if #ctx.orders() == 0 then ctx.buy('005930', 1, 60000) end end
return s
`)
	out, stop := startRun(t, getenv, "run", "--feed", "kis", "--broker", "kis-paper", "--scripts", dir,
		"--store", "none", "--state-dir", t.TempDir(), "--data-dir", t.TempDir(), "--watch=false", "--log-format", "json")
	waitUntil(t, "subscriptions", out, func() bool { return srv.Subscribers(kis.TRTrade, "005930") == 1 })
	srv.Publish(market.Tick{Time: time.Now(), Symbol: "005930", Price: 70_000, Volume: 1})
	waitUntil(t, "the order placed", out, func() bool { return strings.Contains(out.String(), "order placed at kis") })
	if err := stop(); err != nil {
		t.Fatalf("qb run: %v\n%s", err, out.String())
	}
	if o := srv.Orders(); len(o) != 1 || !o[0].Cancelled {
		t.Fatalf("server orders %+v, want the one order cancelled", o)
	}
}

// A strategy added while qb runs (hot reload) gets its symbols' trades.
func TestRunKISSubscribesReloadedSymbols(t *testing.T) {
	srv, getenv := kisServer(t, kistest.Options{})
	dir := t.TempDir()
	writeScript(t, dir, "kisbot.lua", kisBot)
	out, stop := startRun(t, getenv, "run", "--feed", "kis", "--scripts", dir,
		"--store", "none", "--state-dir", t.TempDir(), "--data-dir", t.TempDir(), "--log-format", "json")
	waitUntil(t, "the first symbol", out, func() bool { return srv.Subscribers(kis.TRTrade, "005930") == 1 })
	waitUntil(t, "the watcher", out, func() bool { return strings.Contains(out.String(), "running; Ctrl-C stops") })
	writeScript(t, dir, "naver.lua", `local s = {name='naver', symbols={'035420'}, timeframe='1m'}
function s.on_tick(ctx, t) end
return s
`)
	waitUntil(t, "the added symbol", out, func() bool { return srv.Subscribers(kis.TRTrade, "035420") == 1 })
	if err := stop(); err != nil {
		t.Fatalf("qb run: %v\n%s", err, out.String())
	}
}

// Real money, with all three switches: the run starts, says so loudly,
// and shows no credential while saying it.
func TestRunKISRealMoneyBanner(t *testing.T) {
	srv, getenv := kisServer(t, kistest.Options{Env: kis.Real})
	dir := t.TempDir()
	writeScript(t, dir, "kisbot.lua", kisBot)
	out, stop := startRun(t, getenv, "run", "--feed", "kis", "--broker", "kis", "--live", "--scripts", dir,
		"--store", "none", "--state-dir", t.TempDir(), "--data-dir", t.TempDir(), "--watch=false", "--log-format", "json")
	waitUntil(t, "the notice subscription", out, func() bool { return srv.Subscribers(kis.TRNotice, srv.Options().HTSID) == 1 })
	if err := stop(); err != nil {
		t.Fatalf("qb run: %v\n%s", err, out.String())
	}
	logs := out.String()
	if !strings.Contains(logs, "LIVE TRADING WITH REAL MONEY") || !strings.Contains(logs, `"level":"warn"`) {
		t.Fatalf("no real-money banner:\n%s", logs)
	}
	for _, s := range srv.Secrets() {
		if strings.Contains(logs, s) {
			t.Errorf("output contains credential %s", kis.Mask(s))
		}
	}
}

// A wrong app secret ends the run at once with an error that says which
// variables to check and shows neither credential.
func TestRunKISBadCredentials(t *testing.T) {
	const wrong = "wrong-secret-0123456789abcdef"
	for _, broker := range []string{"paper", "kis-paper"} {
		t.Run(broker, func(t *testing.T) {
			srv, getenv := kisServer(t, kistest.Options{})
			env := func(k string) string {
				if k == kis.EnvAppSecret {
					return wrong
				}
				return getenv(k)
			}
			dir := t.TempDir()
			writeScript(t, dir, "kisbot.lua", kisBot)
			var out syncBuffer
			m := &Main{Stdout: &out, Stderr: &out, Getenv: env}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			err := m.Run(ctx, []string{"run", "--feed", "kis", "--broker", broker, "--scripts", dir, "--store", "none",
				"--state-dir", t.TempDir(), "--data-dir", t.TempDir(), "--watch=false", "--log-format", "json"})
			if err == nil || ctx.Err() != nil || exitCode(err) == 0 {
				t.Fatalf("run ended with %v (ctx %v)", err, ctx.Err())
			}
			if !strings.Contains(err.Error(), "KIS refused the app key or secret (check KIS_APP_KEY, KIS_APP_SECRET and KIS_ENV)") {
				t.Fatalf("error %q does not say the credentials were refused", err)
			}
			for _, s := range append(srv.Secrets(), wrong) {
				if strings.Contains(err.Error()+out.String(), s) {
					t.Errorf("output shows credential %s", kis.Mask(s))
				}
			}
		})
	}
}

// The access token is kept in the data folder (mode 0600) and the next
// run uses it: KIS issues one a minute at most.
func TestRunKISReusesTokenAcrossRuns(t *testing.T) {
	srv, getenv := kisServer(t, kistest.Options{})
	dir, data := t.TempDir(), t.TempDir()
	writeScript(t, dir, "kisbot.lua", kisBot)
	for run := range 2 {
		out, stop := startRun(t, getenv, "run", "--feed", "kis", "--broker", "kis-paper", "--scripts", dir,
			"--store", "none", "--state-dir", t.TempDir(), "--data-dir", data, "--watch=false", "--log-format", "json")
		waitUntil(t, "the session", out, func() bool { return srv.Subscribers(kis.TRTrade, "005930") == 1 })
		if err := stop(); err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, out.String())
		}
		waitUntil(t, "the session's end", out, func() bool { return srv.Sessions() == 0 })
	}
	if n := srv.TokensIssued(); n != 1 {
		t.Fatalf("%d tokens issued for two runs, want 1", n)
	}
	st, err := os.Stat(filepath.Join(data, "kis-token.json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("token cache: %v, mode %v", err, st)
	}
}

// The connection drops while the buy fills: its execution notice is lost
// with the connection, the feed reconnects and reports the gap, and the
// reconciliation the gap triggers books the fill, once. That nothing books
// it again is shown by a later fill: the strategy's sell, placed by the
// account's worker after the reconciliation's second look and reported by
// a notice after anything the server sent before, reaches the engine
// after whatever those could have booked.
func TestRunKISFillDuringGap(t *testing.T) {
	srv, getenv := kisServer(t, kistest.Options{})
	dir := t.TempDir()
	writeScript(t, dir, "kisbot.lua", kisBot)
	out, stop := startRun(t, getenv, "run", "--feed", "kis", "--broker", "kis-paper", "--scripts", dir,
		"--store", "none", "--state-dir", t.TempDir(), "--data-dir", t.TempDir(), "--watch=false", "--log-format", "json")
	notices := func() int { return srv.Subscribers(kis.TRNoticePaper, srv.Options().HTSID) }
	subscribed := func() bool { return srv.Subscribers(kis.TRTrade, "005930") == 1 && notices() == 1 }
	waitUntil(t, "subscriptions", out, subscribed)
	price := int64(70_000)
	trade := func() {
		srv.Publish(market.Tick{Time: time.Now(), Symbol: "005930", Price: price, Volume: 100})
		price += 100
	}
	trade() // the strategy's first tick: it buys
	waitUntil(t, "the buy at the server", out, func() bool { return len(srv.Orders()) == 1 })
	daily := "V" + kis.TRDailyCcld[1:] // the paper TR id
	looks := srv.Requests(daily)
	srv.DropConnections()
	trade() // fills the buy at 70,100; no session hears it
	if srv.Orders()[0].Filled != 10 {
		t.Fatal("the buy did not fill at the server")
	}
	waitUntil(t, "the gap", out, func() bool { return strings.Contains(out.String(), "trades in the gap are lost") })
	waitUntil(t, "the fill in the engine", out, func() bool { return len(jsonLines(t, out.String(), "fill")) == 1 })
	// The reconciliation's second look has reached the server: the
	// account's worker takes the sell below only once that look is over.
	waitUntil(t, "the reconciliation's second look", out, func() bool { return srv.Requests(daily) >= looks+2 })
	waitUntil(t, "subscriptions again", out, subscribed)
	for range 3 {
		trade() // ticks 2-4: on the fourth it sells 4
	}
	waitUntil(t, "the sell at the server", out, func() bool { return len(srv.Orders()) == 2 })
	trade() // fills the sell
	waitUntil(t, "the sell's fill in the engine", out, func() bool { return len(jsonLines(t, out.String(), "fill")) >= 2 })
	if err := stop(); err != nil {
		t.Fatalf("qb run: %v\n%s", err, out.String())
	}
	logs := out.String()
	var buys, sells []map[string]any
	for _, f := range jsonLines(t, logs, "fill") {
		if f["side"] == market.Buy.String() {
			buys = append(buys, f)
		} else {
			sells = append(sells, f)
		}
	}
	if len(buys) != 1 || buys[0]["qty"].(float64) != 10 || len(sells) != 1 || sells[0]["qty"].(float64) != 4 {
		t.Fatalf("fills booked: buys %v, sells %v; want the buy of 10 once and the sell of 4:\n%s", buys, sells, logs)
	}
	if len(jsonLines(t, logs, "kis daily orders show a fill no notice reported; booked")) != 1 {
		t.Fatalf("the buy's fill did not come from the reconciliation:\n%s", logs)
	}
	final := jsonLines(t, logs, "final")
	if qty, _ := srv.Position("005930"); len(final) != 1 || final[0]["qty"].(float64) != 6 || qty != 6 {
		t.Fatalf("final books %v, server %d shares; want 6 shares", final, qty)
	}
}
