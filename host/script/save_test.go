package script

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// ctx.save keeps a deep copy of plain data as the checkpoint; a later
// change to the table does not reach it, and each save is taken once.
func TestSaveKeepsACopy(t *testing.T) {
	s := start(t, "hooks.lua", nil, Options{})
	if st, ok := s.TakeCheckpoint(); st != nil || ok {
		t.Fatalf("before any save TakeCheckpoint = %v, %v", st, ok)
	}
	if _, err := eval(t, s, `
		keep = { n = 3, list = { 1, "two", true }, nested = { deeper = { x = -1.5 } } }
		ctx.save(keep)
		keep.n = 4`); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"n": 3.0, "list": []any{1.0, "two", true}, "nested": map[string]any{"deeper": map[string]any{"x": -1.5}}}
	st, ok := s.TakeCheckpoint()
	if !ok || !reflect.DeepEqual(st, any(want)) {
		t.Fatalf("TakeCheckpoint = %#v, %v; want %#v, true", st, ok, want)
	}
	if st, ok := s.TakeCheckpoint(); ok || !reflect.DeepEqual(st, any(want)) {
		t.Fatalf("second TakeCheckpoint = %#v, %v; want the same state, not new", st, ok)
	}
	if _, err := eval(t, s, `ctx.save(42)`); err != nil {
		t.Fatal(err)
	}
	if st, ok := s.TakeCheckpoint(); !ok || st != 42.0 {
		t.Fatalf("after ctx.save(42) TakeCheckpoint = %#v, %v", st, ok)
	}
}

// A value on_stop could not return is refused by ctx.save too: an error
// that names the bad value and where it is, the previous checkpoint kept.
func TestSaveRefusesWhatCannotBeKept(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"function", `ctx.save({ ok = 1, cb = function() end })`, "ctx.save: state.cb: a function cannot be saved"},
		{"function in a list", `ctx.save({ 1, print })`, "state[2]: a function cannot be saved"},
		{"cycle", `local t = {} t.self = t ctx.save(t)`, "nested deeper than 16 tables (a cycle?)"},
		{"too deep", `local t = {} for i = 1, 20 do t = { t } end ctx.save(t)`, "nested deeper than 16"},
		{"too many entries", `local t = {} for i = 1, 10001 do t[i] = i end ctx.save(t)`, "more than 10000 entries"},
		{"too many bytes", `ctx.save({ s = string.rep("x", 1048576), t = string.rep("y", 1048576),
			u = string.rep("z", 1048576), v = string.rep("w", 1048576), w = "!" })`, "more than 4194304 bytes"},
		{"nan", `ctx.save({ x = 0/0 })`, "state.x: NaN cannot be saved"},
		{"infinity", `ctx.save({ 1/0 })`, "not a finite number"},
		{"mixed keys", `ctx.save({ 1, x = 2 })`, "saved either as a list"},
		{"table key", `ctx.save({ [{}] = 1 })`, "saved either as a list"},
		{"coroutine", `ctx.save({ co = coroutine and coroutine.create(print) or print })`, "cannot be saved"},
		{"nil", `ctx.save(nil)`, "bad argument #1 to save (state: want a table"},
		{"nothing", `ctx.save()`, "have nil"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := start(t, "hooks.lua", nil, Options{})
			if _, err := eval(t, s, `ctx.save({ previous = true })`); err != nil {
				t.Fatal(err)
			}
			s.TakeCheckpoint()
			_, err := eval(t, s, c.src)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
			st, ok := s.TakeCheckpoint()
			if ok || !reflect.DeepEqual(st, any(map[string]any{"previous": true})) {
				t.Errorf("after a refused save TakeCheckpoint = %#v, %v; want the previous state, not new", st, ok)
			}
		})
	}
}

// After a timeout rebuilds the Lua state, on_start gets the last ctx.save
// checkpoint, not the state it was first started with.
func TestRestartAfterTimeoutGetsCheckpoint(t *testing.T) {
	src := strategySrc(`"spin"`, `{ "005930" }`, `"1m"`, "{}", `
local got
function s.on_start(ctx, state) got = state end
function s.on_tick(ctx, t)
  if t.price == 1 then ctx.save({ n = 2 }) return end
  while true do end
end
function s.on_stop(ctx) return got end`)
	s, err := New(compileSrc(t, src), nil, Options{Budget: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Start(map[string]any{"n": 1.0}); err != nil {
		t.Fatal(err)
	}
	if err := s.Tick(tick(1)); err != nil {
		t.Fatal(err)
	}
	if err := s.Tick(tick(70000)); err == nil {
		t.Fatal("an endless loop did not time out")
	}
	st, err := s.Stop()
	if err != nil || !reflect.DeepEqual(st, any(map[string]any{"n": 2.0})) {
		t.Errorf("after the rebuild on_start got %#v (%v), want the checkpoint {n = 2}", st, err)
	}
}
