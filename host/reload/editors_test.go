package reload_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// save is one way an editor writes new content over a strategy file.
type save func(t *testing.T, h *host, rel, src string)

// editorSaves are the ways editors save (../shared/LUA.md §A3).
var editorSaves = []struct {
	name string
	save save
}{
	{"write in place", writeInPlace},
	{"truncate then write in chunks", truncateThenChunks},
	{"write temp and rename over", tempAndRename},
	{"vim backup and rename", vimBackup},
	{"delete then create", deleteThenCreate},
}

func writeInPlace(t *testing.T, h *host, rel, src string) {
	if err := os.WriteFile(h.path(rel), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// truncateThenChunks saves as an editor that streams a large buffer: the
// file is empty, then half written, for a while shorter than the debounce.
func truncateThenChunks(t *testing.T, h *host, rel, src string) {
	f, err := os.OpenFile(h.path(rel), os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i := 0; i < len(src); i += 64 {
		if _, err := f.WriteString(src[i:min(i+64, len(src))]); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// tempAndRename saves atomically, as VS Code, GoLand and emacs can.
func tempAndRename(t *testing.T, h *host, rel, src string) {
	tmp := h.path(rel) + ".tmp"
	if err := os.WriteFile(tmp, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, h.path(rel)); err != nil {
		t.Fatal(err)
	}
}

// vimBackup saves as vim does with backupcopy=no: probe the folder with
// "4913", rename the file to "file~", write a new file, remove "file~".
func vimBackup(t *testing.T, h *host, rel, src string) {
	p := h.path(rel)
	probe := filepath.Join(filepath.Dir(p), "4913")
	if err := os.WriteFile(probe, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(probe); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p, p+"~"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(p + "~"); err != nil {
		t.Fatal(err)
	}
}

func deleteThenCreate(t *testing.T, h *host, rel, src string) {
	if err := os.Remove(h.path(rel)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(h.path(rel), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestEditorSaves saves probe v2 over a running probe v1 in each way an
// editor saves, and checks that v2 runs, on the same account, with v1's
// on_stop state.
func TestEditorSaves(t *testing.T) {
	for _, tc := range editorSaves {
		t.Run(tc.name, func(t *testing.T) {
			h := probeHost(t, nil, hostOptions{})
			checkSwapped(t, h, func() { tc.save(t, h, "probe.lua", probe("probe", 2)) })
			// Only a writer stalled mid-file for longer than the debounce
			// (a loaded machine) may show the watcher a half-written version,
			// which is rejected while the running one stays.
			if c := h.counters(); c.Rejected != 0 && tc.name != "truncate then write in chunks" {
				t.Errorf("counters %+v: a complete save was rejected", c)
			}
		})
	}
	// A Kubernetes ConfigMap or a deploy script swaps a symlink: the
	// strategy file is a link to a version kept outside the folder, and a
	// new link is renamed over it.
	t.Run("symlink swapped to a new target", func(t *testing.T) {
		versions := t.TempDir()
		v1, v2 := filepath.Join(versions, "probe-1.lua"), filepath.Join(versions, "probe-2.lua")
		for path, src := range map[string]string{v1: probe("probe", 1), v2: probe("probe", 2)} {
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		dir := filepath.Join(t.TempDir(), "scripts")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(v1, filepath.Join(dir, "probe.lua")); err != nil {
			t.Fatal(err)
		}
		h := linkedHost(t, dir)
		checkSwapped(t, h, func() {
			tmp := h.path(".probe.lua.new")
			if err := os.Symlink(v2, tmp); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, h.path("probe.lua")); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// checkSwapped runs save, which puts probe v2 over the running v1, and
// checks the swap: version 2 runs and handles ticks, v1's on_stop state
// reached v2's on_start, and the account is untouched.
func checkSwapped(t *testing.T, h *host, save func()) {
	t.Helper()
	before := accountOf(h.result("probe"))
	save()
	h.untilVersion("probe.lua", 2)
	h.untilFirstTick("probe", 2)
	st := h.status("probe.lua")
	if st.Removed || st.Rejected != nil || st.String() != "running v2" {
		t.Fatalf("status %q (removed %v), want running v2", st, st.Removed)
	}
	if c := h.counters(); c.Reloaded != 1 || c.Added+c.Removed+c.Renamed != 0 {
		t.Errorf("counters %+v, want one reload and nothing else", c)
	}
	starts := h.logs.lines("start", map[string]any{"strategy": "probe", "v": 2.0})
	if len(starts) != 1 {
		t.Fatalf("v2's on_start ran %d times, want once", len(starts))
	}
	if s := starts[0]; s["from"] != 1.0 || s["qty"] != 10.0 || s["orders"] != 1.0 || s["inherited"].(float64) < 1 {
		t.Errorf("v2's on_start saw %v; want v1's state (from 1, ticks > 0), 10 shares and 1 working order", s)
	}
	if n := h.started("probe", 1); n != 1 {
		t.Errorf("v1's on_start ran %d times, want once", n)
	}
	if after := accountOf(h.result("probe")); after != before {
		t.Errorf("account after the swap %+v, before %+v", after, before)
	}
}

// linkedHost starts a host on a folder that is already populated.
func linkedHost(t *testing.T, dir string) *host {
	t.Helper()
	h := newHostIn(t, dir, nil, hostOptions{})
	h.until("probe to hold 10 shares and rest a limit order", true, func() bool {
		return accountOf(h.result("probe")) == account{qty: 10, orders: 2, fills: 1}
	})
	return h
}
