package watch

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// When the reader stops draining Changes, events pile up in the kernel
// until its queue overflows and fsnotify reports ErrEventOverflow on its
// Errors channel. The watcher must log it, rescan, find the edit whose
// events were dropped, and keep watching.
func TestSurvivesEventOverflow(t *testing.T) {
	limit := queueLimit(t)
	var logs syncBuffer
	r := newRig(t, Options{Log: zerolog.New(&logs)})

	r.write("a.lua", "-- a2\n") // settles, then the watcher waits for us to read
	time.Sleep(300 * time.Millisecond)
	flood(t, r.dir, limit)      // create+remove pairs: twice the queue's length in events
	r.write("b.lua", "-- b2\n") // its events are dropped: only a rescan can find it

	got := map[string]string{}
	for len(got) < 2 {
		for _, c := range r.next() {
			got[c.Path] = string(c.Src)
		}
	}
	if got[r.path("a.lua")] != "-- a2\n" || got[r.path("b.lua")] != "-- b2\n" {
		t.Fatalf("after the overflow got %v", got)
	}
	if !strings.Contains(logs.String(), "events lost") {
		t.Fatalf("no overflow was logged; the queue did not overflow? log: %s", logs.String())
	}
	r.write("a.lua", "-- a3\n")
	r.wantOne(r.settle(), Changed, "a.lua", "-- a3\n")
}

// queueLimit reads fs.inotify.max_queued_events.
func queueLimit(t *testing.T) int {
	raw, err := os.ReadFile("/proc/sys/fs/inotify/max_queued_events")
	if err != nil {
		t.Skipf("no inotify queue limit to overflow: %v", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil || n > 200000 {
		t.Skipf("inotify queue limit %q is too large to overflow in a test", raw)
	}
	return n
}

// flood makes at least 2×limit events in dir with files the watcher ignores.
func flood(t *testing.T, dir string, limit int) {
	t.Helper()
	for i := range limit + 4096 {
		name := fmt.Sprintf("%s/flood%d.tmp", dir, i)
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := os.Remove(name); err != nil {
			t.Fatal(err)
		}
	}
}

// Close ends the goroutine and closes Changes, even when a batch waits.
func TestCloseClosesChanges(t *testing.T) {
	r := newRig(t, Options{})
	r.write("a.lua", "-- a2\n")
	time.Sleep(200 * time.Millisecond)
	if err := r.w.Close(); err != nil {
		t.Fatal(err)
	}
	for range r.w.Changes() { // drains and ends: the channel is closed
	}
	if err := r.w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// An error fsnotify reports (vim-style saves gave a spurious "invalid
// argument" here) is logged and watching goes on. The error is sent on
// the fsnotify watcher's own Errors channel, where its backend puts them.
func TestSurvivesSpuriousError(t *testing.T) {
	var logs syncBuffer
	r := newRig(t, Options{Log: zerolog.New(&logs)})
	r.w.fs.Errors <- errors.New("invalid argument")
	r.write("a.lua", "-- a2\n")
	r.wantOne(r.settle(), Changed, "a.lua", "-- a2\n")
	if !strings.Contains(logs.String(), "invalid argument") {
		t.Fatalf("the error was not logged: %s", logs.String())
	}
}
