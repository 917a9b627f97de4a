package statefile

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/qbtrading/qb/host/script"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// stateStore is the interface the engine declares for its state store.
type stateStore interface {
	SaveState(ctx context.Context, name string, st script.State) error
	LoadState(ctx context.Context, name string) (script.State, bool, error)
}

var _ stateStore = (*Dir)(nil)

func open(t *testing.T) *Dir {
	t.Helper()
	d, err := Open(filepath.Join(t.TempDir(), "data", "state"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// sample is what a crossover strategy might hand over.
func sample() script.State {
	return map[string]any{
		"last_signal": "buy",
		"entries":     []any{71200.0, 71500.0, map[string]any{"qty": 10.0, "filled": true}},
		"armed":       false,
		"note":        nil,
		"empty":       map[string]any{},
		"zero":        []any{},
		"tiny":        1e-300,
	}
}

func TestRoundTrip(t *testing.T) {
	cases := map[string]script.State{
		"nil": nil, "bool": true, "number": -12.5, "string": "한글 ok",
		"list": []any{1.0, "two", nil}, "sample": sample(),
	}
	d := open(t)
	for name, st := range cases {
		t.Run(name, func(t *testing.T) {
			if err := d.SaveState(t.Context(), name, st); err != nil {
				t.Fatal(err)
			}
			got, ok, err := d.LoadState(t.Context(), name)
			if err != nil || !ok {
				t.Fatalf("LoadState = %v, %v, %v", got, ok, err)
			}
			if !reflect.DeepEqual(got, st) {
				t.Fatalf("LoadState = %#v, want %#v", got, st)
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	st, ok, err := open(t).LoadState(t.Context(), "never_saved")
	if st != nil || ok || err != nil {
		t.Fatalf("LoadState = %v, %v, %v; want nil, false, nil", st, ok, err)
	}
}

// The file is the golden bytes, whatever the map order, and private.
func TestFileIsDeterministicAndPrivate(t *testing.T) {
	d := open(t)
	if err := d.SaveState(t.Context(), "ma_cross", sample()); err != nil {
		t.Fatal(err)
	}
	path, _ := d.File("ma_cross")
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "ma_cross.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("state file:\n%s\nwant:\n%s", got, want)
	}
	for p, mode := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), mode)
		}
	}
}

func TestBadNames(t *testing.T) {
	d := open(t)
	for _, name := range []string{"", "../escape", "a/b", `a\b`, "x y", "/abs", strings.Repeat("n", 65), "한글"} {
		if err := d.SaveState(t.Context(), name, 1.0); err == nil {
			t.Errorf("SaveState(%q) passed", name)
		}
		if _, _, err := d.LoadState(t.Context(), name); err == nil {
			t.Errorf("LoadState(%q) passed", name)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(d.path))
	if len(entries) != 1 {
		t.Errorf("something was written outside the state folder: %v", entries)
	}
}

// A state that cannot be saved is an error naming where it is, and the
// previous state file stays whole with no temporary left behind.
func TestBadStateKeepsPreviousFile(t *testing.T) {
	d := open(t)
	if err := d.SaveState(t.Context(), "s", "previous"); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		st   script.State
		want string
	}{
		"nan":       {map[string]any{"x": math.NaN()}, "state.x"},
		"inf":       {[]any{1.0, math.Inf(1)}, "state[2]"},
		"int":       {map[string]any{"qty": 10}, "int is not state data"},
		"func":      {[]any{func() {}}, "state[1]"},
		"typed map": {map[string]int{"a": 1}, "map[string]int"},
		"deep":      {deep(100), "nested deeper"},
	}
	for name, tc := range cases {
		err := d.SaveState(t.Context(), "s", tc.st)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: SaveState error = %v, want one mentioning %q", name, err, tc.want)
		}
	}
	if st, _, err := d.LoadState(t.Context(), "s"); err != nil || st != "previous" {
		t.Fatalf("after failed saves LoadState = %v, %v", st, err)
	}
	if entries, _ := os.ReadDir(d.path); len(entries) != 1 {
		t.Errorf("state folder holds %d files, want only s.json", len(entries))
	}
}

func deep(n int) script.State {
	var st script.State = "leaf"
	for range n {
		st = []any{st}
	}
	return st
}

// A damaged or foreign file is an error that names the file.
func TestBadFiles(t *testing.T) {
	d := open(t)
	path, _ := d.File("s")
	for name, content := range map[string]string{
		"truncated":      `{"format":1,"strategy":"s","state":{"a":`,
		"other strategy": `{"format":1,"strategy":"t","state":1}`,
		"newer format":   `{"format":3,"strategy":"s","state":1}`,
		"no version":     `{"format":2,"strategy":"s","state":1}`,
		"version in 1":   `{"format":1,"strategy":"s","version":5,"state":1}`,
		"no state":       `{"format":1,"strategy":"s"}`,
		"unknown field":  `{"format":1,"strategy":"s","state":1,"x":2}`,
		"trailing data":  `{"format":1,"strategy":"s","state":1} {}`,
		"not json":       "state = 1\n",
	} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, ok, err := d.LoadState(t.Context(), "s")
		if err == nil || ok || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: LoadState = %v, %v; want an error naming %s", name, ok, err, path)
		}
	}
}

func TestCancelledContext(t *testing.T) {
	d := open(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := d.SaveState(ctx, "s", 1.0); err == nil {
		t.Error("SaveState with a cancelled context passed")
	}
	if _, _, err := d.LoadState(ctx, "s"); err == nil {
		t.Error("LoadState with a cancelled context passed")
	}
}

func FuzzDecode(f *testing.F) {
	golden, err := os.ReadFile(filepath.Join("testdata", "ma_cross.golden.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	f.Add([]byte(`{"format":1,"strategy":"ma_cross","state":[1,2,{"a":null}]}`))
	f.Add([]byte(`{"format":1,"strategy":"ma_cross","state":1e999}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, _, err := decode("ma_cross", data)
		if err != nil {
			return
		}
		again, err := encode("ma_cross", st, 0)
		if err != nil {
			t.Fatalf("decoded state does not encode: %v", err)
		}
		st2, _, err := decode("ma_cross", again)
		if err != nil || !reflect.DeepEqual(st, st2) {
			t.Fatalf("round trip: %#v → %#v (%v)", st, st2, err)
		}
	})
}

// The golden file guards the bytes against change; this says the bytes are
// right. Read with plain encoding/json, it is format 1 for ma_cross and
// holds what a crossover strategy handed over, value for value, written
// here as literals (not sample()); read back by LoadState under its own
// name it gives the same state, and under another name it is refused.
func TestGoldenFileHoldsTheSavedState(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "ma_cross.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Format   int            `json:"format"`
		Strategy string         `json:"strategy"`
		State    map[string]any `json:"state"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"last_signal": "buy",
		"entries":     []any{71200.0, 71500.0, map[string]any{"qty": 10.0, "filled": true}},
		"armed":       false,
		"note":        nil,
		"empty":       map[string]any{},
		"zero":        []any{},
		"tiny":        1e-300,
	}
	if file.Format != 1 || file.Strategy != "ma_cross" || !reflect.DeepEqual(file.State, want) {
		t.Fatalf("golden file = format %d, strategy %q, state %#v\nwant format 1, ma_cross, %#v",
			file.Format, file.Strategy, file.State, want)
	}
	// Keys in sorted order and two-space indents, so a diff of two saves
	// shows only what changed.
	for _, order := range [][2]string{{`"format"`, `"strategy"`}, {`"strategy"`, `"state"`},
		{`"armed"`, `"empty"`}, {`"entries"`, `"last_signal"`}, {`"note"`, `"tiny"`}, {`"tiny"`, `"zero"`}} {
		if i, j := bytes.Index(data, []byte(order[0])), bytes.Index(data, []byte(order[1])); i < 0 || j < i {
			t.Errorf("%s is not before %s in the file", order[0], order[1])
		}
	}
	if !bytes.HasPrefix(data, []byte("{\n  \"format\": 1,\n")) || !bytes.HasSuffix(data, []byte("}\n")) {
		t.Errorf("file does not start with a two-space-indented format line and end with a newline:\n%s", data)
	}

	d := open(t)
	for _, name := range []string{"ma_cross", "rsi"} {
		path, _ := d.File(name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got, ok, err := d.LoadState(t.Context(), "ma_cross")
	if err != nil || !ok || !reflect.DeepEqual(got, any(want)) {
		t.Fatalf("LoadState(ma_cross) = %#v, %v, %v; want %#v", got, ok, err, want)
	}
	if _, ok, err := d.LoadState(t.Context(), "rsi"); err == nil || ok || !strings.Contains(err.Error(), `"ma_cross"`) {
		t.Errorf("ma_cross's file loaded as rsi's: ok %v, err %v", ok, err)
	}
}
