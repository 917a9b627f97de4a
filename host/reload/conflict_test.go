package reload_test

import (
	"os"
	"strings"
	"testing"
)

// TestNameInUse: a new file that declares the name of a strategy another
// file runs is rejected, and deleting it leaves the running one alone.
func TestNameInUse(t *testing.T) {
	h := probeHost(t, nil, hostOptions{})
	h.write("copy.lua", probe("probe", 2))
	h.until("copy.lua to be rejected", false, func() bool { return h.status("copy.lua").Rejected != nil })
	st := h.status("copy.lua")
	if want := "not running, v1 rejected: "; !strings.HasPrefix(st.String(), want) || !strings.Contains(st.String(), h.path("probe.lua")) {
		t.Errorf("copy.lua status %q, want it to start %q and name probe.lua", st, want)
	}
	if err := os.Remove(h.path("copy.lua")); err != nil {
		t.Fatal(err)
	}
	h.until("copy.lua to be forgotten", false, func() bool { return h.status("copy.lua").Rejected == nil })
	h.feed(2)
	if r := h.result("probe"); r.Removed || accountOf(r) != (account{qty: 10, orders: 2, fills: 1}) {
		t.Errorf("probe: removed %v, account %+v; deleting a copy must not touch it", r.Removed, accountOf(r))
	}
	if st := h.status("probe.lua"); st.String() != "running v1" {
		t.Errorf("probe.lua status %q", st)
	}
}

// TestRenameWithEdit moves a file and edits it, keeping the strategy's
// name: host/watch may report the addition before the removal, and the
// strategy must end up running from the new file on its old account.
func TestRenameWithEdit(t *testing.T) {
	h := probeHost(t, nil, hostOptions{})
	if err := os.Rename(h.path("probe.lua"), h.path("moved.lua")); err != nil {
		t.Fatal(err)
	}
	h.write("moved.lua", probe("probe", 2))
	h.until("probe to run from moved.lua", false, func() bool {
		st := h.status("moved.lua")
		return st.Name == "probe" && !st.Removed && st.Rejected == nil && h.status("probe.lua").Removed
	})
	h.untilFirstTick("probe", 2)
	r := h.result("probe")
	if r.Removed || r.File != h.path("moved.lua") {
		t.Errorf("probe: removed %v, file %s; want running from moved.lua", r.Removed, r.File)
	}
	// Remove cancelled the working order; the shares stay on the account.
	if got := accountOf(r); got.qty != 10 || got.cancelled != 1 {
		t.Errorf("account %+v, want the 10 shares kept and the old order cancelled", got)
	}
}
