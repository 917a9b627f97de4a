package reload_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/qbtrading/qb/host/statefile"
)

// TestStateSurvivesRestart: the table the last version's on_stop returned
// is what the next run's on_start gets, through host/statefile, as qb run
// keeps it between runs, for a strategy reloaded and one removed.
func TestStateSurvivesRestart(t *testing.T) {
	states, err := statefile.Open(filepath.Join(t.TempDir(), "state"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "scripts")
	files := map[string]string{"probe.lua": probe("probe", 1), "gone.lua": probe("gone", 1)}
	h := newHostIn(t, dir, files, hostOptions{states: states})
	h.feed(3)
	h.write("probe.lua", probe("probe", 2))
	h.untilVersion("probe.lua", 2)
	h.feed(4)
	if err := removeFile(h, "gone.lua"); err != nil {
		t.Fatal(err)
	}
	h.until("gone to be removed", false, func() bool { return h.status("gone.lua").Removed })
	for _, r := range h.stop() { // as run.go's saveStates
		if r.State != nil {
			if err := states.SaveState(context.Background(), r.Name, r.State); err != nil {
				t.Fatal(err)
			}
		}
	}
	h.close()

	// The next run: probe v2 and gone come back; each starts with its state.
	h.write("gone.lua", probe("gone", 1))
	next := newHostIn(t, dir, nil, hostOptions{states: states})
	next.feed(1)
	for name, want := range map[string]map[string]any{
		"probe": {"from": 2.0, "inherited": 4.0}, // v2 saw 4 ticks
		"gone":  {"from": 1.0, "inherited": 7.0}, // v1 saw all 7 before its file went
	} {
		want["strategy"], want["v"] = name, float64(map[string]int{"probe": 2, "gone": 1}[name])
		if n := next.logs.logged("start", want); n != 1 {
			t.Errorf("%s: %d start lines with %v, want 1\n%s", name, n, want, next.logs.String())
		}
	}
}
