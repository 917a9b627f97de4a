package watch

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

const wait = 5 * time.Second // generous: a change must arrive within this

// rig is a scripts folder with a running Watcher: a.lua and b.lua
// strategies and a lib/sizing.lua module.
type rig struct {
	t        *testing.T
	dir      string
	w        *Watcher
	sentinel int
}

func newRig(t *testing.T, opt Options) *rig {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "scripts")
	r := &rig{t: t, dir: dir}
	r.write("a.lua", "return {name='a'}\n")
	r.write("b.lua", "return {name='b'}\n")
	r.write("lib/sizing.lua", "return {lot=10}\n")
	if opt.Poll == 0 {
		opt.Poll = -1 // tests of events must not be rescued by polling
	}
	w, err := Open(context.Background(), dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Error(err)
		}
	})
	r.w = w
	return r
}

func (r *rig) path(rel string) string { return filepath.Join(r.dir, filepath.FromSlash(rel)) }

func (r *rig) write(rel, content string) {
	r.t.Helper()
	p := r.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) do(err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
}

// next waits for one batch.
func (r *rig) next() []Change {
	r.t.Helper()
	select {
	case b, ok := <-r.w.Changes():
		if !ok {
			r.t.Fatal("the watcher stopped")
		}
		return b
	case <-time.After(wait):
		r.t.Fatalf("no change reported within %v", wait)
	}
	return nil
}

// settle writes a sentinel strategy after whatever the test did and
// returns every change reported before the sentinel's. The sentinel is
// written last, so its debounce ends last: a change the test's edit caused
// is reported no later than the sentinel. A removal may wait one more
// debounce for a rename partner, so the sentinel is written twice, the
// second time after the first is reported, which is a debounce later.
// This proves "nothing happened" without waiting for a quiet period.
func (r *rig) settle() []Change {
	r.t.Helper()
	name := r.path("zz_sentinel.lua")
	var out []Change
	for range 2 {
		r.sentinel++
		r.write("zz_sentinel.lua", fmt.Sprintf("-- %d\n", r.sentinel))
		for found := false; !found; {
			for _, c := range r.next() {
				if c.Path == name {
					found = true
					continue
				}
				out = append(out, c)
			}
		}
	}
	return out
}

// describe prints changes compactly for failure messages.
func describe(cs []Change) string {
	var b bytes.Buffer
	for _, c := range cs {
		fmt.Fprintf(&b, "%s %s (%d bytes); ", c.Kind, c.Path, len(c.Src))
	}
	return b.String()
}

// wantOne checks that exactly one change was reported.
func (r *rig) wantOne(cs []Change, kind Kind, rel, content string) Change {
	r.t.Helper()
	if len(cs) != 1 {
		r.t.Fatalf("got %d changes (%s), want one %s of %s", len(cs), describe(cs), kind, rel)
	}
	c := cs[0]
	if c.Kind != kind || c.Path != r.path(rel) {
		r.t.Fatalf("got %s, want %s %s", describe(cs), kind, r.path(rel))
	}
	if kind != Removed && string(c.Src) != content {
		r.t.Fatalf("%s: Src = %q, want %q", rel, c.Src, content)
	}
	return c
}

// syncBuffer is a log sink the watcher's goroutine writes while a test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}
