package sandboxtest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
)

// memoryCap is the process memory cap of this test binary: every case
// must keep the runtime's footprint under it.
const memoryCap = 1 << 30

const corpusDir = "../../testdata/hostile"

func TestMain(m *testing.M) {
	if err := script.HardenProcessWith(script.ProcessLimits{MemoryCap: memoryCap}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// hostileOptions run each hostile script with tighter limits than the
// defaults, so the corpus runs in seconds: the limits are the same
// mechanisms at smaller sizes. Only a script expected to be stopped by
// its time budget gets the short one: the others (a memory limit, a state
// too big to hand over) run several times slower under -race, and the test
// is about their own limit firing, not about which limit a slow machine
// reaches first.
func hostileOptions(exp expectation) script.Options {
	budget := 300 * time.Millisecond
	if exp.kind != "timeout" {
		budget = 5 * time.Second
	}
	return script.Options{Budget: budget, MaxFailures: 3, Memory: 16 << 20,
		Log: zerolog.New(io.Discard), ModuleDir: filepath.Join(corpusDir, "modules")}
}

// tape is two KST sessions of one symbol, a tick every 5 s, with a price
// that waves on the tick grid so both well-behaved strategies trade.
func tape() []market.Tick {
	var out []market.Tick
	for d, day := range []time.Time{
		time.Date(2026, 3, 4, 9, 0, 0, 0, market.Seoul), time.Date(2026, 3, 5, 9, 0, 0, 0, market.Seoul),
	} {
		for i := 0; i < 600; i++ {
			p := 70_000 + 100*int64((i/(20+10*d))%9)
			out = append(out, market.Tick{Time: day.Add(time.Duration(i) * 5 * time.Second), Symbol: "005930",
				Price: p, Volume: 100, Bid: p - 100, Ask: p, Seq: int64(len(out) + 1)})
		}
	}
	return out
}

func compileFile(t *testing.T, path string) *script.Program {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := script.Compile(filepath.Base(path), src)
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	return p
}

// outcome is one engine run: every strategy's result, and the errors of
// adding the hostile strategy and of stopping the engine.
type outcome struct {
	results []engine.Result
	addErr  error
	stopErr error
}

// run plays the tape through the two well-behaved strategies and, when
// hostile is not nil, the hostile one, added to the running engine.
func run(t *testing.T, hostile *script.Program, opts script.Options, ticks []market.Tick) outcome {
	t.Helper()
	var specs []engine.Spec
	for _, name := range []string{"good_ma.lua", "good_tick.lua"} {
		specs = append(specs, engine.Spec{Program: compileFile(t, filepath.Join(corpusDir, "wellbehaved", name)),
			Options: script.Options{Log: zerolog.Nop()}})
	}
	e, err := engine.New(engine.Config{Strategies: specs, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	var o outcome
	if hostile != nil {
		o.addErr = e.Add(engine.Spec{Program: hostile, Options: opts})
	}
	for i := range ticks {
		e.Process(&ticks[i])
	}
	o.stopErr = e.Stop()
	o.results = e.Results()
	return o
}

// good returns the well-behaved strategies' results in a comparable form:
// order IDs are engine-wide, so a hostile strategy's orders shift them.
func good(t *testing.T, rs []engine.Result) map[string]engine.Result {
	out := map[string]engine.Result{}
	for _, r := range rs {
		if !strings.HasPrefix(r.Name, "good_") {
			continue
		}
		for i := range r.Fills {
			r.Fills[i].OrderID = 0
		}
		out[r.Name] = r
	}
	if len(out) != 2 {
		t.Fatalf("%d well-behaved results, want 2", len(out))
	}
	return out
}

func TestHostileCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.lua"))
	if err != nil || len(files) < 20 {
		t.Fatalf("%d corpus scripts (%v), want at least 20", len(files), err)
	}
	t.Setenv("QB_HOSTILE_SECRET", "hunter2") // read_env must not find it
	ticks := tape()
	base := run(t, nil, script.Options{}, ticks)
	if base.stopErr != nil {
		t.Fatal(base.stopErr)
	}
	want := good(t, base.results)
	for name, r := range want {
		if len(r.Fills) < 4 {
			t.Fatalf("%s made %d fills alone; the corpus needs trading neighbours", name, len(r.Fills))
		}
	}
	meter := startPeakMeter()
	defer meter.close()
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".lua"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			exp, err := parseHeader(src)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			meter.reset()
			o := run(t, compileFile(t, file), hostileOptions(exp), ticks)
			if got := good(t, o.results); !reflect.DeepEqual(got, want) {
				t.Errorf("the well-behaved strategies traded differently beside %s:\n got %+v\nwant %+v", exp.attack, got, want)
			}
			checkOutcome(t, exp, o)
			peak := meter.max()
			t.Logf("%s: peak %d MiB", exp.attack, peak>>20)
			if peak >= memoryCap {
				t.Errorf("peak memory %d MiB, over the cap of %d MiB", peak>>20, memoryCap>>20)
			}
		})
	}
}

// checkOutcome compares the hostile strategy's end with its header.
func checkOutcome(t *testing.T, exp expectation, o outcome) {
	t.Helper()
	if exp.outcome == "load-error" {
		if o.addErr == nil || !strings.Contains(o.addErr.Error(), exp.text) {
			t.Fatalf("add: %v, want an error containing %q", o.addErr, exp.text)
		}
		return
	}
	if o.addErr != nil {
		t.Fatalf("add: %v", o.addErr)
	}
	var r *engine.Result
	for i := range o.results {
		if !strings.HasPrefix(o.results[i].Name, "good_") {
			r = &o.results[i]
		}
	}
	if r == nil {
		t.Fatal("no result for the hostile strategy")
	}
	if o.stopErr != nil && strings.Contains(o.stopErr.Error(), "good_") {
		t.Errorf("stop reports a well-behaved strategy: %v", o.stopErr)
	}
	switch exp.outcome {
	case "stopped":
		st := r.Status
		if !st.Paused || !slices.Contains(strings.Split(exp.kind, "|"), st.Cause.String()) || !strings.Contains(st.Reason, exp.text) {
			t.Fatalf("status %+v (cause %s), want stopped by %s with %q", st, st.Cause, exp.kind, exp.text)
		}
		if st.Last == nil || st.Last.File != r.File || st.Last.Hook == "" {
			t.Errorf("the status does not say where: %+v", st.Last)
		}
		t.Logf("status: %s", st)
	case "stop-error":
		if o.stopErr == nil || !strings.Contains(o.stopErr.Error(), exp.text) {
			t.Fatalf("stop: %v, want an error containing %q", o.stopErr, exp.text)
		}
	case "runs":
		if r.Status.Paused || o.stopErr != nil {
			t.Fatalf("status %v, stop %v; want it running to the end", r.Status, o.stopErr)
		}
		st, _ := r.State.(map[string]any)
		if st["ok"] != true || st["breach"] != nil {
			t.Fatalf("on_stop state %v, want ok = true and no breach", r.State)
		}
	}
}

// TestHeaders: a malformed header is refused, so a corpus script cannot
// pass by declaring nothing.
func TestHeaders(t *testing.T) {
	cases := []struct{ src, err string }{
		{"-- attack: x\n-- expect: runs\n", ""},
		{"-- attack: x\n-- expect: stopped timeout \"budget\"\n", ""},
		{"-- attack: x\n", "needs"},
		{"-- expect: runs\n", "needs"},
		{"-- attack: x\n-- expect: stopped \"budget\"\n", "quoted"},
		{"-- attack: x\n-- expect: stopped timeout\n", "quoted"},
		{"-- attack: x\n-- expect: exploded\n", "unknown outcome"},
		{"-- attack: x\n-- expect: runs fine\n", "takes nothing"},
	}
	for _, c := range cases {
		_, err := parseHeader([]byte(c.src))
		if (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%q: err = %v, want %q", c.src, err, c.err)
		}
	}
}
