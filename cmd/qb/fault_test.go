package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The TestFault tests break storage and input for real: read-only and full
// filesystems (tmpfs mounts, which need root), a PostgreSQL server of the
// test's own that it stops, /dev/zero as data.
//
// Mounting needs root (CAP_SYS_ADMIN). As root a mount that fails is a
// failure under QB_REQUIRE_SERVICES=1 (CI runs as root, where it works) and
// a skip otherwise; as any other user these tests always skip.

// mustMount runs mount with args, or skips (fails, see above) when mounting
// is not allowed here. The mount is undone when the test ends (a remount
// is undone with the mount it changes: pass no target).
func mustMount(t *testing.T, target string, args ...string) {
	t.Helper()
	out, err := exec.Command("mount", args...).CombinedOutput()
	if err != nil {
		msg := fmt.Sprintf("mount %s: %v: %s", strings.Join(args, " "), err, out)
		if os.Geteuid() == 0 && os.Getenv("QB_REQUIRE_SERVICES") == "1" {
			t.Fatalf("%s (running as root with QB_REQUIRE_SERVICES=1: mounting should work)", msg)
		}
		t.Skipf("%s; skipping: this test mounts a filesystem, which needs root", msg)
	}
	if target == "" {
		return
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", target).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", target, err, out)
		}
	})
}

// exited waits up to d for the child to end and returns how long it took.
func (c *child) exited(t *testing.T, d time.Duration) (time.Duration, error) {
	t.Helper()
	start := time.Now()
	select {
	case err := <-c.done:
		return time.Since(start), err
	case <-time.After(d):
		_ = c.cmd.Process.Signal(syscall.SIGQUIT) // a goroutine dump, for the failure message
		time.Sleep(500 * time.Millisecond)
		t.Fatalf("qb still running %v after being asked to stop:\n%s", d, tail(c.log.String(), 8000))
		return 0, nil
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// logLines decodes the child's JSON log lines.
func logLines(out string) []map[string]any {
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l map[string]any
		if json.Unmarshal(sc.Bytes(), &l) == nil {
			lines = append(lines, l)
		}
	}
	return lines
}

func countMsg(lines []map[string]any, msg string) int {
	n := 0
	for _, l := range lines {
		if l["message"] == msg {
			n++
		}
	}
	return n
}

// TestFaultReadOnlyStore: a qb.db that cannot be written (bind-mounted
// read-only over itself; root writes a chmod 0444 file anyway) makes qb run
// exit at once with status 1 and an error naming the file, instead of
// retrying every order for 20 s and ignoring Ctrl-C.
func TestFaultReadOnlyStore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "store", "qb.db")
	mustQB(t, "migrate", "--store", db)
	mustMount(t, db, "--bind", db, db)
	mustMount(t, "", "-o", "remount,bind,ro", db)
	if f, err := os.OpenFile(db, os.O_WRONLY, 0); err == nil {
		f.Close()
		t.Fatal("the read-only bind mount can be written")
	}
	scripts := t.TempDir()
	writeScript(t, scripts, "spammer.lua", spammer)
	c := startQB(t, "run", "--store", db, "--scripts", scripts, "--data-dir", filepath.Join(dir, "data"), "--log-format", "json", "--pace", "100ms")
	took, err := c.exited(t, 10*time.Second)
	var ee *exec.ExitError
	if !errorAs(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1\n%s", err, c.log.String())
	}
	want := "run: store " + db + " is not writable: write probe: attempt to write a readonly database"
	if !strings.Contains(c.log.String(), want) {
		t.Fatalf("output lacks %q:\n%s", want, c.log.String())
	}
	if took > 5*time.Second {
		t.Errorf("qb took %v to refuse a read-only store", took)
	}
	if strings.Contains(c.log.String(), "running; Ctrl-C stops") {
		t.Error("qb started trading on a read-only store")
	}
}

func errorAs(err error, ee **exec.ExitError) bool {
	e, ok := err.(*exec.ExitError)
	if ok {
		*ee = e
	}
	return ok
}

// spammer places one far-off limit buy a bar (after cancelling the last)
// and logs whether the order was placed or refused, and why.
const spammer = `
local s = { name = "spammer", symbols = { "005930" }, timeframe = "1m" }
function s.on_bar(ctx, bar)
  for _, o in ipairs(ctx.orders()) do ctx.cancel(o.id) end
  local id, err = ctx.buy(bar.symbol, 1, math.floor(bar.close * 0.8 / 100) * 100)
  if id then ctx.log.info("placed", { id = id }) else ctx.log.info("refused", { reason = err }) end
end
return s
`

// TestFaultFullDisk runs qb on a 2 MB filesystem until the store and the
// spool fill it: trading halts with one error, new orders are refused with
// "storage full", the recorder's repeated complaints are rate-limited and
// Ctrl-C still ends qb without a panic.
func TestFaultFullDisk(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	mustMount(t, data, "-t", "tmpfs", "-o", "size=2m", "tmpfs", data)
	scripts := t.TempDir()
	writeScript(t, scripts, "spammer.lua", spammer)
	c := startQB(t, "run", "--scripts", scripts, "--data-dir", data, "--log-format", "json", "--pace", "50ms", "--warmup", "2")
	halt := c.waitLog(t, "storage full: trading halted, new orders are refused; what is stored stays, market data is kept in memory while it fits; free space and restart qb")
	halted := time.Now()
	t.Logf("halted: %v", halt["error"])
	// Past two rate-limit periods: each repeated message may log once per
	// period, with the count of the lines held back.
	time.Sleep(21 * time.Second)
	_ = c.cmd.Process.Signal(os.Interrupt)
	if took, _ := c.exited(t, 15*time.Second); took > 10*time.Second {
		t.Errorf("qb took %v to stop after Ctrl-C on a full disk", took)
	}
	ran := time.Since(halted)
	out := c.log.String()
	if strings.Contains(out, "panic:") {
		t.Fatalf("qb panicked:\n%s", tail(out, 8000))
	}
	lines := logLines(out)
	if n := countMsg(lines, halt["message"].(string)); n != 1 {
		t.Errorf("%d halt errors, want exactly 1", n)
	}
	// Rate limits: one line per 10 s per message, plus the first.
	limit := int(ran/(10*time.Second)) + 2
	for _, msg := range []string{"recorder: record lost", "recorder: store write failed", "recorder: durable write failed"} {
		if n := countMsg(lines, msg); n > limit {
			t.Errorf("%d %q lines in %v, want at most %d", n, msg, ran.Round(time.Second), limit)
		}
	}
	// The halt is logged by whichever write hit the full disk first: the
	// journal of an order update, or the recorder's spill on its own
	// goroutine. The one order the engine had journaled as new when it
	// came may still be placed after the halt's line; no other may. (The
	// spammer is the only strategy, so its order numbers are the host's
	// order IDs.)
	var stored float64
	_, _ = fmt.Sscanf(fmt.Sprint(halt["error"]), "journal order %g", &stored)
	var after bool
	var refused int
	var late []map[string]any
	for _, l := range lines {
		switch {
		case l["message"] == halt["message"]:
			after = true
		case !after:
		case l["message"] == "placed" && l["id"].(float64) > stored:
			late = append(late, l)
		case l["message"] == "refused":
			if r, _ := l["reason"].(string); strings.Contains(r, "storage full: trading halted") {
				refused++
			}
		}
	}
	if len(late) > 1 {
		t.Errorf("%d orders placed after trading halted, at most the one in flight may be: %v", len(late), late)
	}
	if refused == 0 {
		t.Errorf("no order refused for storage full after the halt:\n%s", tail(out, 6000))
	}
	if lost := countMsg(lines, "recorder: record lost"); lost == 0 {
		t.Log("no record was lost: the memory buffer held everything")
	}
}

// TestFaultInterruptDuringOutage stops the database under a running qb,
// then sends Ctrl-C: qb must end within a few seconds however long the
// outage, its durable writes and the recorder giving up their retries.
func TestFaultInterruptDuringOutage(t *testing.T) {
	pg := privatePostgres(t)
	url, stopDB := pg.target(), func() { pg.pgctl(t, "stop", "-m", "immediate") }
	scripts := t.TempDir()
	writeScript(t, scripts, "spammer.lua", spammer)
	c := startQB(t, "run", "--store", url, "--scripts", scripts, "--data-dir", t.TempDir(),
		"--log-format", "json", "--pace", "100ms", "--warmup", "2")
	c.waitLog(t, "running; Ctrl-C stops")
	c.waitLog(t, "placed")
	stopDB()
	c.waitLog(t, "recorder: store write failed") // the outage is felt
	time.Sleep(time.Second)                      // orders and bars now wait on the store
	_ = c.cmd.Process.Signal(os.Interrupt)
	took, _ := c.exited(t, 40*time.Second)
	if took > 5*time.Second {
		t.Errorf("qb took %v to end after Ctrl-C during a database outage, want under 5 s", took)
	}
	if strings.Contains(c.log.String(), "panic:") {
		t.Fatalf("qb panicked:\n%s", tail(c.log.String(), 8000))
	}
}

// TestFaultReplayDevZero: /dev/zero is one line with no end; qb replay
// must refuse it at line 1 with bounded memory instead of reading it
// until the kernel kills it.
func TestFaultReplayDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skipf("no /dev/zero: %v", err)
	}
	dir := t.TempDir()
	strat := writeScript(t, dir, "spammer.lua", spammer)
	c := startQB(t, "replay", "--data", "/dev/zero", "--strategy", strat, "--memory-cap", "2GiB")
	// Watch the child's memory: the old reader grew without bound.
	const maxRSS = 512 << 20
	for done := false; !done; {
		select {
		case err := <-c.done:
			c.done <- err
			done = true
		case <-time.After(20 * time.Millisecond):
			if rss := vmRSS(c.cmd.Process.Pid); rss > maxRSS {
				_ = c.cmd.Process.Kill()
				t.Fatalf("qb replay --data /dev/zero holds %d MiB, want under %d", rss>>20, maxRSS>>20)
			}
		}
	}
	took, err := c.exited(t, time.Minute)
	var ee *exec.ExitError
	if !errorAs(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1\n%s", err, c.log.String())
	}
	if want := "/dev/zero:1: longer than 64 KiB"; !strings.Contains(c.log.String(), want) {
		t.Fatalf("output lacks %q:\n%s", want, c.log.String())
	}
	// (rusage's peak is no use here: a forked child starts with its
	// parent's, the test binary's.)
	if took > 10*time.Second {
		t.Errorf("qb took %v to refuse /dev/zero", took)
	}
}

// vmRSS is a process's resident memory in bytes (0 when unknown).
func vmRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}
