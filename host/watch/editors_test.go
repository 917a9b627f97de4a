package watch

import (
	"crypto/sha256"
	"os"
	"strings"
	"testing"
	"time"
)

const newA = "-- version 2\nreturn {name='a', symbols={'005930'}}\n"

// Each way an editor saves a.lua must give exactly one Changed(a.lua)
// carrying the complete new content: no Removed, no partial version, no
// report of the editor's temporaries.
func TestEditorSaves(t *testing.T) {
	cases := []struct {
		name string
		save func(r *rig)
	}{
		{"write in place", func(r *rig) { r.write("a.lua", newA) }},
		{"truncate then write in chunks", func(r *rig) {
			f, err := os.OpenFile(r.path("a.lua"), os.O_WRONLY|os.O_TRUNC, 0)
			r.do(err)
			for chunk := range chunks(newA, 5) {
				time.Sleep(10 * time.Millisecond) // well inside the 200 ms debounce
				_, err := f.WriteString(chunk)
				r.do(err)
			}
			r.do(f.Close())
		}},
		{"write temp and rename over (safe write)", func(r *rig) {
			for _, tmp := range []string{"a.lua.tmp", "a.lua___jb_tmp___", ".goutputstream-X1Y2"} {
				r.write(tmp, newA)
				r.do(os.Rename(r.path(tmp), r.path("a.lua")))
			}
		}},
		{"vim backup and rename", func(r *rig) {
			r.write("4913", "")
			r.do(os.Remove(r.path("4913")))
			r.write(".a.lua.swp", "swap")
			r.do(os.Rename(r.path("a.lua"), r.path("a.lua~")))
			r.write("a.lua", newA)
			r.do(os.Remove(r.path("a.lua~")))
			r.do(os.Remove(r.path(".a.lua.swp")))
		}},
		{"delete then create", func(r *rig) {
			r.do(os.Remove(r.path("a.lua")))
			r.write("a.lua", newA)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Options{Debounce: 200 * time.Millisecond})
			tc.save(r)
			c := r.wantOne(r.settle(), Changed, "a.lua", newA)
			if c.Hash != sha256.Sum256([]byte(newA)) || c.IsModule || c.Module != "a" || c.At.IsZero() {
				t.Errorf("change = %+v", c)
			}
		})
	}
}

// chunks splits s into n nearly equal parts.
func chunks(s string, n int) func(func(string) bool) {
	return func(yield func(string) bool) {
		size := (len(s) + n - 1) / n
		for len(s) > 0 {
			k := min(size, len(s))
			if !yield(s[:k]) {
				return
			}
			s = s[k:]
		}
	}
}

// A symlink in the folder that is pointed at a new target is a change,
// whether the link itself is replaced (an event names it) or a folder
// link it goes through is swapped the Kubernetes ConfigMap way (no event
// names it: only re-resolving the link tells).
func TestSymlinkSwappedToNewTarget(t *testing.T) {
	t.Run("link replaced", func(t *testing.T) {
		r := newRig(t, Options{})
		other := t.TempDir()
		r.do(os.WriteFile(other+"/v1.lua", []byte("-- v1\n"), 0o644))
		r.do(os.WriteFile(other+"/v2.lua", []byte(newA), 0o644))
		r.do(os.Symlink(other+"/v1.lua", r.path("linked.lua")))
		r.wantOne(r.settle(), Added, "linked.lua", "-- v1\n")
		r.do(os.Symlink(other+"/v2.lua", r.path(".tmp-link")))
		r.do(os.Rename(r.path(".tmp-link"), r.path("linked.lua")))
		r.wantOne(r.settle(), Changed, "linked.lua", newA)
	})
	t.Run("target in a watched subfolder edited in place", func(t *testing.T) {
		r := newRig(t, Options{})
		r.do(os.Symlink("lib/sizing.lua", r.path("via_link.lua")))
		r.wantOne(r.settle(), Added, "via_link.lua", "return {lot=10}\n")
		r.write("lib/sizing.lua", "return {lot=30}\n")
		cs := r.settle()
		if len(cs) != 2 || cs[0].Path != r.path("lib/sizing.lua") || cs[1].Path != r.path("via_link.lua") ||
			cs[1].Kind != Changed || string(cs[1].Src) != "return {lot=30}\n" {
			t.Fatalf("got %s; want lib/sizing.lua and via_link.lua changed", describe(cs))
		}
	})
	t.Run("configmap folder swap", func(t *testing.T) {
		r := newRig(t, Options{})
		r.write("..2026_v1/cm.lua", "-- v1\n")
		r.write("..2026_v2/cm.lua", newA)
		r.do(os.Symlink("..2026_v1", r.path("..data")))
		r.do(os.Symlink("..data/cm.lua", r.path("cm.lua")))
		r.wantOne(r.settle(), Added, "cm.lua", "-- v1\n")
		r.do(os.Symlink("..2026_v2", r.path("..data_tmp")))
		r.do(os.Rename(r.path("..data_tmp"), r.path("..data")))
		r.wantOne(r.settle(), Changed, "cm.lua", newA)
	})
}

// Saving the same bytes again, touch and chmod report nothing.
func TestIdenticalSaveReportsNothing(t *testing.T) {
	r := newRig(t, Options{})
	same := "return {name='a'}\n"
	r.write("a.lua", same)
	r.do(os.Chmod(r.path("a.lua"), 0o600))
	now := time.Now()
	r.do(os.Chtimes(r.path("b.lua"), now, now))
	r.do(os.Rename(r.path("b.lua"), r.path("b.lua.tmp")))
	r.do(os.Rename(r.path("b.lua.tmp"), r.path("b.lua")))
	if cs := r.settle(); len(cs) != 0 {
		t.Fatalf("an unchanged save reported %s", describe(cs))
	}
}

// Editor droppings and other non-Lua files never show up.
func TestDroppingsIgnored(t *testing.T) {
	r := newRig(t, Options{})
	for _, name := range []string{
		"a.lua.swp", ".a.lua.swp", ".a.lua.swx", "a.lua~", "4913", ".#a.lua", "#a.lua#",
		".goutputstream-ABC123", "a.lua___jb_tmp___", "a.lua___jb_old___", "a.lua.tmp",
		"notes.txt", ".hidden.lua", "lib/.#sizing.lua", "lib/sizing.lua~",
	} {
		r.write(name, "x = 1\n")
	}
	r.do(os.Remove(r.path("a.lua.swp")))
	if cs := r.settle(); len(cs) != 0 {
		t.Fatalf("droppings were reported: %s", describe(cs))
	}
}

// A file left empty is a real change once it stays empty (it is read a
// second time, a debounce later, before that is believed).
func TestEmptyFileReportedOnceSettled(t *testing.T) {
	r := newRig(t, Options{})
	r.do(os.Truncate(r.path("a.lua"), 0))
	r.wantOne(r.next(), Changed, "a.lua", "")
}

// An editor that truncates and then pauses a little longer than the
// debounce before writing (VS Code's gap) still gives only the written
// version: the empty read is not believed until a second one agrees.
func TestEmptyReadNotBelievedAtOnce(t *testing.T) {
	debounce := 300 * time.Millisecond
	r := newRig(t, Options{Debounce: debounce})
	r.do(os.Truncate(r.path("a.lua"), 0))
	time.Sleep(debounce + debounce/6) // past one debounce, well before two
	r.write("a.lua", newA)
	r.wantOne(r.settle(), Changed, "a.lua", newA)
}

func TestAddDeleteRename(t *testing.T) {
	r := newRig(t, Options{})
	r.write("c.lua", "-- c\n")
	r.wantOne(r.settle(), Added, "c.lua", "-- c\n")

	r.do(os.Remove(r.path("b.lua")))
	c := r.wantOne(r.settle(), Removed, "b.lua", "")
	if c.Hash != sha256.Sum256([]byte("return {name='b'}\n")) || c.Src != nil {
		t.Errorf("Removed carries hash %x, src %q; want the last version's hash and no source", c.Hash, c.Src)
	}

	r.do(os.Rename(r.path("c.lua"), r.path("c2.lua")))
	batch := r.next()
	if len(batch) != 2 || batch[0].Kind != Removed || batch[0].Path != r.path("c.lua") ||
		batch[1].Kind != Added || batch[1].Path != r.path("c2.lua") || batch[0].Hash != batch[1].Hash {
		t.Fatalf("rename gave batch %s; want Removed(c.lua), Added(c2.lua) with one hash", describe(batch))
	}
}

// A module edit is reported as a module with the name require uses.
func TestModuleChange(t *testing.T) {
	r := newRig(t, Options{})
	r.write("lib/sizing.lua", "return {lot=20}\n")
	c := r.wantOne(r.settle(), Changed, "lib/sizing.lua", "return {lot=20}\n")
	if !c.IsModule || c.Module != "lib.sizing" {
		t.Errorf("IsModule = %v, Module = %q; want true, lib.sizing", c.IsModule, c.Module)
	}
}

// Folders made after Open are watched, including ones moved in with files
// already inside, and a removed folder removes its modules.
func TestNewAndRemovedSubfolders(t *testing.T) {
	r := newRig(t, Options{})
	r.do(os.MkdirAll(r.path("ind/deep"), 0o755))
	r.write("ind/deep/vol.lua", "-- vol\n")
	c := r.wantOne(r.settle(), Added, "ind/deep/vol.lua", "-- vol\n")
	if c.Module != "ind.deep.vol" {
		t.Errorf("Module = %q, want ind.deep.vol", c.Module)
	}
	r.write("ind/deep/vol.lua", "-- vol 2\n")
	r.wantOne(r.settle(), Changed, "ind/deep/vol.lua", "-- vol 2\n")

	outside := t.TempDir() + "/risk"
	r.do(os.MkdirAll(outside, 0o755))
	r.do(os.WriteFile(outside+"/caps.lua", []byte("-- caps\n"), 0o644))
	r.do(os.Rename(outside, r.path("risk")))
	r.wantOne(r.settle(), Added, "risk/caps.lua", "-- caps\n")

	r.do(os.RemoveAll(r.path("ind")))
	r.wantOne(r.settle(), Removed, "ind/deep/vol.lua", "")
}

// With inotify silent (a symlink to a file in an unwatched folder edited
// in place gives no event), the polling rescan still finds the edit.
func TestPollingFindsSilentChanges(t *testing.T) {
	other := t.TempDir()
	target := other + "/target.lua"
	if err := os.WriteFile(target, []byte("-- v1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := newRig(t, Options{Poll: 100 * time.Millisecond})
	r.do(os.Symlink(target, r.path("remote.lua")))
	r.wantOne(r.settle(), Added, "remote.lua", "-- v1\n")
	r.do(os.WriteFile(target, []byte(newA), 0o644))
	r.wantOne(r.next(), Changed, "remote.lua", newA)
}

func TestOpenRejectsAFile(t *testing.T) {
	f := t.TempDir() + "/a.lua"
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(t.Context(), f, Options{}); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Fatalf("Open(file) error = %v, want one saying it is not a folder", err)
	}
	if _, err := Open(t.Context(), f+"/missing", Options{}); err == nil {
		t.Fatal("Open(missing) gave no error")
	}
}
