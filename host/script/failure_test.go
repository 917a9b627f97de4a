package script

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestSyntaxErrorHasFileLine(t *testing.T) {
	src, err := os.ReadFile("testdata/syntax_error.lua")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile("testdata/syntax_error.lua", src)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if e.Kind != KindSyntax || e.File != "testdata/syntax_error.lua" || e.Line != 10 {
		t.Errorf("got %s %s:%d (%q), want syntax testdata/syntax_error.lua:10", e.Kind, e.File, e.Line, e.Msg)
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
	}{
		{"unclosed string", "local s = {}\nlocal x = \"abc\nreturn s\n", 0}, // gopher-lua reports the next line
		{"missing then", "local s = {}\nif s\nreturn s\nend\n", 3},
		{"stray end", "local s = {}\nend\nreturn s\n", 2},
		{"eof", "local s = {\nname = 'x',\n", 2},
		{"goto missing label", "local s = {}\ngoto nowhere\nreturn s\n", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Compile("x.lua", []byte(c.src))
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindSyntax {
				t.Fatalf("err = %v, want a syntax *Error", err)
			}
			if c.line > 0 && e.Line != c.line {
				t.Errorf("line = %d (%v), want %d", e.Line, e, c.line)
			}
		})
	}
}

func TestRuntimeErrorInHook(t *testing.T) {
	s := start(t, "failing.lua", nil, Options{})
	err := s.Tick(tick(70000))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if e.Kind != KindRuntime || e.File != "testdata/failing.lua" || e.Line != 20 || e.Hook != "on_tick" {
		t.Errorf("got %v (kind %s), want runtime testdata/failing.lua:20 on_tick", e, e.Kind)
	}
	if want := "testdata/failing.lua:20: on_tick: "; len(e.Error()) < len(want) || e.Error()[:len(want)] != want {
		t.Errorf("Error() = %q, want prefix %q", e.Error(), want)
	}
	// the host goes on: other hooks still run, and the state is intact
	if err := s.Bar(bar(70000)); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(); st.Failures != 0 || st.Paused {
		t.Errorf("status after a success = %+v, want reset", st)
	}
}

func TestTimeoutAbortsHook(t *testing.T) {
	for _, mode := range []string{"loop", "pcall_loop", "grow"} {
		t.Run(mode, func(t *testing.T) {
			s := start(t, "failing.lua", nil, Options{Budget: 50 * time.Millisecond, Params: map[string]string{"mode": mode}})
			if err := s.Start(nil); err != nil {
				t.Fatal(err)
			}
			if err := s.Bar(bar(70000)); err != nil {
				t.Fatal(err)
			}
			err := s.Tick(tick(70000))
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindTimeout || e.Hook != "on_tick" || e.File != "testdata/failing.lua" {
				t.Fatalf("err = %v, want a timeout in testdata/failing.lua on_tick", err)
			}
			// the strategy works on, in a rebuilt state: module locals are
			// fresh and on_start ran again
			if err := s.Bar(bar(70000)); err != nil {
				t.Fatalf("after a timeout: %v", err)
			}
			st, err := s.Stop()
			if err != nil {
				t.Fatal(err)
			}
			got := st.(map[string]any)
			if got["bars"] != 1.0 || got["started"] != 1.0 {
				t.Errorf("state after restart = %v, want bars=1 started=1", got)
			}
		})
	}
}

func TestConsecutiveFailuresPause(t *testing.T) {
	s := start(t, "failing.lua", nil, Options{MaxFailures: 3})
	for i := 1; i <= 2; i++ {
		var e *Error
		if err := s.Tick(tick(70000)); !errors.As(err, &e) || e.Kind != KindRuntime {
			t.Fatalf("failure %d: %v, want a runtime error", i, err)
		}
	}
	if err := s.Bar(bar(70000)); err != nil { // a success resets the count
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		err := s.Tick(tick(70000))
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("failure %d: %v", i, err)
		}
		if want := map[bool]ErrorKind{true: KindPaused, false: KindRuntime}[i == 3]; e.Kind != want {
			t.Fatalf("failure %d: kind %s, want %s", i, e.Kind, want)
		}
	}
	st := s.Status()
	if !st.Paused || st.Failures != 3 || st.Last == nil || st.Last.Line != 20 || st.Last.Hook != "on_tick" {
		t.Fatalf("status = %+v, want paused after 3 failures at line 20", st)
	}
	if !strings.Contains(st.Reason, "3 consecutive failures") || !strings.HasPrefix(st.String(), "paused: ") {
		t.Errorf("status text %q, reason %q", st, st.Reason)
	}
	for _, h := range []Hook{HookTick, HookBar, HookStop} {
		if s.Wants(h) {
			t.Errorf("a paused strategy wants %s", h)
		}
	}
	if err := s.Tick(tick(70000)); err != nil {
		t.Errorf("paused hook returned %v, want a no-op", err)
	}
	if st, err := s.Stop(); st != nil || err != nil {
		t.Errorf("paused Stop = %v, %v; want nil, nil", st, err)
	}
}

func TestTimeoutsCountTowardsPause(t *testing.T) {
	s := start(t, "failing.lua", nil, Options{Budget: 30 * time.Millisecond, MaxFailures: 2, Params: map[string]string{"mode": "loop"}})
	var e *Error
	if err := s.Tick(tick(1)); !errors.As(err, &e) || e.Kind != KindTimeout {
		t.Fatalf("first: %v", err)
	}
	if err := s.Tick(tick(1)); !errors.As(err, &e) || e.Kind != KindPaused {
		t.Fatalf("second: %v, want paused", err)
	}
	if !s.Status().Paused {
		t.Error("not paused")
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name, src string
		kind      ErrorKind
		line      int
		msg       string
	}{
		{"error at top level", "local x = 1\nerror('boom')\nreturn {}\n", KindLoad, 2, "boom"},
		{"error with a table", "local x = 1\nerror({ code = 7 })\nreturn {}\n", KindLoad, 0, "(error object is a table value)"},
		{"returns nothing", "local x = 1\n", KindContract, 0, "the script must return a table (the strategy), not nil"},
		{"returns a number", "return 5\n", KindContract, 0, "the script must return a table (the strategy), not number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(compileSrc(t, c.src), newFakeHost(), Options{})
			var e *Error
			if !errors.As(err, &e) || e.Kind != c.kind || e.Line != c.line || e.Msg != c.msg {
				t.Fatalf("err = %v, want kind %s at line %d: %s", err, c.kind, c.line, c.msg)
			}
		})
	}
}

func TestLoadTimeout(t *testing.T) {
	_, err := New(compileSrc(t, "while true do end\n"), newFakeHost(), Options{Budget: 30 * time.Millisecond})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTimeout {
		t.Fatalf("err = %v, want a timeout", err)
	}
}

// TestFailuresLeaveNoGarbageOnTheStack: a failing hook must not leave values
// behind on the Lua stack, or a long run would grow it call by call.
func TestFailuresLeaveNoGarbageOnTheStack(t *testing.T) {
	s := start(t, "failing.lua", nil, Options{MaxFailures: 1000})
	top := s.L.GetTop()
	for i := 0; i < 50; i++ {
		_ = s.Tick(tick(1))
		_ = s.Bar(bar(1))
	}
	if got := s.L.GetTop(); got != top {
		t.Errorf("stack top %d after 100 calls, want %d", got, top)
	}
}

// TestCloseStopsTheWatchdog: every strategy's watchdog goroutine is gone
// once Close returns.
func TestCloseStopsTheWatchdog(t *testing.T) {
	before := watchdogs()
	var ss []*Strategy
	for i := 0; i < 20; i++ {
		s, err := New(load(t, "hooks.lua"), newFakeHost(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		ss = append(ss, s)
	}
	if got := settle(before + 20); got != before+20 {
		t.Fatalf("%d watchdogs with 20 strategies, %d before", got, before)
	}
	for _, s := range ss {
		s.Close()
		s.Close() // idempotent
	}
	if got := settle(before); got != before {
		t.Errorf("%d watchdogs after Close, want %d", got, before)
	}
	if err := ss[0].Tick(tick(1)); err != nil || ss[0].Wants(HookTick) {
		t.Errorf("a closed strategy: Tick = %v, Wants = %v", err, ss[0].Wants(HookTick))
	}
}

// settle waits (up to 5 s) for the watchdog count to reach want: a new
// goroutine may not have started yet, and one whose run has returned may
// not have been torn down.
func settle(want int) int {
	got := watchdogs()
	for i := 0; i < 500 && got != want; i++ {
		time.Sleep(10 * time.Millisecond)
		got = watchdogs()
	}
	return got
}

// watchdogs counts the running watchdog goroutines.
func watchdogs() int {
	buf := make([]byte, 1<<20)
	return strings.Count(string(buf[:runtime.Stack(buf, true)]), "script.(*watchdog).run(")
}

// TestNewWithoutHost: a strategy built only to read its Meta (no host)
// works, and its ctx functions fail cleanly instead of panicking.
func TestNewWithoutHost(t *testing.T) {
	if _, err := New(nil, newFakeHost(), Options{}); err == nil {
		t.Error("New(nil program) succeeded")
	}
	s, err := New(load(t, "hooks.lua"), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Meta().Name != "hooks" {
		t.Errorf("meta = %+v", s.Meta())
	}
	got, err := eval(t, s, `local id, err = ctx.buy("005930", 1) return tostring(id) .. "|" .. err`)
	if err != nil || !strings.HasPrefix(got, "nil|no host") {
		t.Errorf("buy without a host = %q, %v", got, err)
	}
	if _, err := eval(t, s, `return ctx.sma("005930", 5)`); err == nil || !strings.Contains(err.Error(), "no host") {
		t.Errorf("sma without a host: %v", err)
	}
}

// TestRestartThatFailsPauses: after a timeout on_start runs again; if that
// overruns too, the strategy pauses at once and says why.
func TestRestartThatFailsPauses(t *testing.T) {
	src := strategySrc(`"restart"`, `{ "005930" }`, `"1m"`, "{}", `
function s.on_start(ctx, state)
  if ctx.cash() == 2 then while true do end end
end
function s.on_tick(ctx, t) while true do end end`)
	h := newFakeHost()
	h.cash = 1
	s, err := New(compileSrc(t, src), h, Options{Budget: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Start(nil); err != nil {
		t.Fatal(err)
	}
	h.cash = 2
	err = s.Tick(tick(1))
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindPaused || e.Hook != "on_start" || !strings.Contains(e.Msg, "restart failed") {
		t.Fatalf("err = %v, want paused because the restart failed", err)
	}
	st := s.Status()
	if !st.Paused || !strings.Contains(st.Reason, "the restart after it failed") || st.Last == nil || st.Last.Hook != "on_start" {
		t.Errorf("status = %+v", st)
	}
}

// TestIntermittentTimeoutsStop: a hook that overruns on every other call
// never fails MaxFailures times in a row, yet spends its budget on half
// the engine's events; MaxFailures timeouts within timeoutWindow calls
// stop it.
//
// The test is the clock: the budget is far longer than the test, so no
// call can time out by the machine's speed or load, and the looping calls
// end the way a spent budget ends them, by the watchdog firing on the
// running call (timeOut). Timing-free, the quick calls always succeed and
// the looping ones always time out.
func TestIntermittentTimeoutsStop(t *testing.T) {
	s, err := New(compileSrc(t, hogSrc(`if t.price % 200 == 0 then while true do end end`)), newFakeHost(),
		Options{Budget: time.Minute, MaxFailures: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var calls int
	for i := 0; i < 20 && !s.Status().Paused; i++ {
		calls++
		if i%2 == 1 { // 70100 returns at once
			if err := s.Tick(tick(70100)); err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
			if st := s.Status(); st.Failures != 0 {
				t.Fatalf("call %d: a success did not reset the consecutive count: %+v", i, st)
			}
			continue
		}
		err := timeOut(t, s, func() error { return s.Tick(tick(70000)) }) // loops forever
		var e *Error
		if !errors.As(err, &e) || (e.Kind != KindTimeout && (i < 4 || e.Kind != KindPaused)) {
			t.Fatalf("call %d: %v, want a timeout", i, err)
		}
	}
	st := s.Status()
	if !st.Paused || st.Cause != KindTimeout || !strings.Contains(st.Reason, "3 timeouts within 1000 calls") || calls != 5 {
		t.Fatalf("status %+v after %d calls, want stopped after 3 timeouts within 1000 calls, at the 5th", st, calls)
	}
}

// timeOut runs call, a hook call that never returns by itself, and ends it
// as a spent budget does: once the call is running, the watchdog fires on
// it. It stands in for the clock, so the test does not depend on how fast
// the machine is.
func timeOut(t *testing.T, s *Strategy, call func() error) error {
	t.Helper()
	fired := make(chan bool, 1)
	go func() {
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if at := s.wd.start.Load(); at > 0 {
				s.wd.fire(at, firedTime)
				fired <- true
				return
			}
			time.Sleep(time.Millisecond)
		}
		fired <- false // the call never started: the budget ends it, and the check below fails
	}()
	err := call()
	if !<-fired {
		t.Fatal("the call did not start within 10 s")
	}
	return err
}
