// Command mutants measures how many hand-written bugs ("mutants") the tests
// catch. Each mutant in .ci/mutants.txt replaces one snippet of one file;
// the tool applies it to a scratch copy of the work tree, runs the tests of
// the mutated file's package and records the mutant as killed (the tests
// failed or timed out) or survived (they passed). It prints the survivors
// and the kill rate per package and overall.
//
//	go run .ci/mutants.go [-timeout 120s] [ID-SUBSTRING ...]   (make mutants)
//	go run .ci/mutants.go -check                               (make mutants-check)
//
// -check runs no test: it checks that the list parses and that each
// mutant's snippet occurs exactly once in its file, so the list cannot rot
// silently as the code changes; CI runs it.
//
// The work tree itself is never written: the mutants are applied to a copy
// of its files (tracked and untracked, not ignored, uncommitted edits
// included, so a test being written counts) in a temporary folder, removed
// at the end, on Ctrl-C and on SIGTERM. Go's build cache is shared, so only
// the mutated package and its dependants are rebuilt.
//
// A mutant that does not compile is an error in the list: it is reported
// and the tool exits 1. Survivors do not make it fail: they are the figure
// to read.
//
// Only the standard library is used, so it needs nothing but Go.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// listFile is the mutant list, .ci/mutants.txt unless -list names another.
var listFile = ".ci/mutants.txt"

type mutant struct {
	id, file, why string
	line          int // of the "==" line in the list
	from, to      string
}

// pkg is the mutated file's package, as go test takes it.
func (m *mutant) pkg() string { return "./" + path.Dir(m.file) }

func main() {
	check := flag.Bool("check", false, "only check that every mutant applies (one match of its snippet); run no test")
	timeout := flag.Duration("timeout", 60*time.Second, "go test -timeout for each mutant; a timeout counts as killed")
	flag.StringVar(&listFile, "list", listFile, "the mutant list")
	flag.Parse()

	root, err := gitRoot()
	if err != nil {
		fatal(err)
	}
	if err := os.Chdir(root); err != nil {
		fatal(err)
	}
	ms, err := parse(listFile)
	if err != nil {
		fatal(err)
	}
	if errs := verify(ms); len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintln(os.Stderr, "mutants:", e)
		}
		fmt.Fprintf(os.Stderr, "mutants: %d of %d mutants in %s no longer apply; fix the list\n", len(errs), len(ms), listFile)
		os.Exit(1)
	}
	if *check {
		fmt.Printf("mutants: all %d mutants in %s apply (%d packages)\n", len(ms), listFile, len(packages(ms)))
		return
	}
	if args := flag.Args(); len(args) > 0 {
		ms = pick(ms, args)
		if len(ms) == 0 {
			fatal(fmt.Errorf("no mutant ID contains any of %q", args))
		}
	}
	os.Exit(run(ms, *timeout))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "mutants:", err)
	os.Exit(2)
}

func gitRoot() (string, error) {
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return "", fmt.Errorf("not in a git work tree: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// parse reads the list. A mutant is
//
//	== ID path/to/file.go: what bug it stands for
//	- the original text, one or more lines
//	+ its replacement, zero or more lines
//
// "- " and "+ " are followed by the text exactly (tabs included); a line
// of just "-" or "+" is an empty line. Blank lines and lines starting
// with # are comments.
func parse(name string) ([]mutant, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ms []mutant
	var from, to []string
	ids := map[string]int{}
	flush := func() error {
		if len(ms) == 0 {
			return nil
		}
		m := &ms[len(ms)-1]
		if len(from) == 0 {
			return fmt.Errorf("%s:%d: mutant %s has no '- ' line", name, m.line, m.id)
		}
		m.from, m.to = strings.Join(from, "\n"), strings.Join(to, "\n")
		if m.from == m.to {
			return fmt.Errorf("%s:%d: mutant %s changes nothing", name, m.line, m.id)
		}
		from, to = nil, nil
		return nil
	}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "== "):
			if err := flush(); err != nil {
				return nil, err
			}
			head, why, _ := strings.Cut(strings.TrimPrefix(l, "== "), ": ")
			fs := strings.Fields(head)
			if len(fs) != 2 {
				return nil, fmt.Errorf("%s:%d: want '== ID path/file.go: what it breaks'", name, n)
			}
			if prev, dup := ids[fs[0]]; dup {
				return nil, fmt.Errorf("%s:%d: mutant ID %s already used on line %d", name, n, fs[0], prev)
			}
			ids[fs[0]] = n
			ms = append(ms, mutant{id: fs[0], file: fs[1], why: strings.TrimSpace(why), line: n})
		case l == "-" || strings.HasPrefix(l, "- "):
			if len(ms) == 0 || len(to) > 0 {
				return nil, fmt.Errorf("%s:%d: '-' line outside a mutant or after its '+' lines", name, n)
			}
			from = append(from, strings.TrimPrefix(strings.TrimPrefix(l, "-"), " "))
		case l == "+" || strings.HasPrefix(l, "+ "):
			if len(ms) == 0 {
				return nil, fmt.Errorf("%s:%d: '+' line outside a mutant", name, n)
			}
			to = append(to, strings.TrimPrefix(strings.TrimPrefix(l, "+"), " "))
		case strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#"):
		default:
			return nil, fmt.Errorf("%s:%d: unexpected line %q", name, n, l)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("%s: no mutants", name)
	}
	return ms, nil
}

// verify checks that each mutant's snippet is in its file exactly once.
func verify(ms []mutant) []error {
	var errs []error
	for _, m := range ms {
		src, err := os.ReadFile(m.file)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s (%s:%d): %w", m.id, listFile, m.line, err))
			continue
		}
		if c := strings.Count(string(src), m.from); c != 1 {
			errs = append(errs, fmt.Errorf("%s (%s:%d): its snippet occurs %d times in %s, want once:\n\t%s",
				m.id, listFile, m.line, c, m.file, strings.ReplaceAll(m.from, "\n", "\n\t")))
		}
	}
	return errs
}

func pick(ms []mutant, subs []string) []mutant {
	var out []mutant
	for _, m := range ms {
		for _, s := range subs {
			if strings.Contains(m.id, s) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

func packages(ms []mutant) []string {
	seen := map[string]bool{}
	var ps []string
	for _, m := range ms {
		if !seen[m.pkg()] {
			seen[m.pkg()] = true
			ps = append(ps, m.pkg())
		}
	}
	sort.Strings(ps)
	return ps
}

type outcome int

const (
	killed outcome = iota
	survived
	broken // did not compile
)

type result struct {
	m    *mutant
	out  outcome
	took time.Duration
	log  string
	by   string // what killed it: the first failing test, or a timeout
}

func run(ms []mutant, timeout time.Duration) int {
	scratch, err := os.MkdirTemp("", "qb-mutants-")
	if err != nil {
		fatal(err)
	}
	cleanup := func() { os.RemoveAll(scratch) }
	defer cleanup()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	ctx, stop := context.WithCancel(context.Background())
	go func() {
		s := <-sig
		fmt.Fprintf(os.Stderr, "\nmutants: %s: stopping, removing %s\n", s, scratch)
		stop()
	}()

	if dirty, _ := exec.Command("git", "status", "--porcelain").Output(); len(dirty) > 0 {
		fmt.Println("mutants: the work tree has uncommitted changes; the copy measured includes them")
	}
	if err := copyTree(scratch); err != nil {
		cleanup()
		fatal(err)
	}
	pkgs := packages(ms)
	fmt.Printf("mutants: %d mutants over %d packages, tests in a copy of the tree at %s\n", len(ms), len(pkgs), scratch)

	// The unmutated tests must pass, or every mutant would count as killed.
	// A package that fails is tried once more: a test that fails only under
	// load is reported as flaky (its kills may be too) rather than stopping
	// the run.
	for _, p := range pkgs {
		base := goTest(ctx, scratch, timeout, p)
		if base.err == nil {
			continue
		}
		if ctx.Err() != nil {
			return 130
		}
		fmt.Print(indent(base.output))
		if again := goTest(ctx, scratch, timeout, p); again.err != nil {
			if ctx.Err() != nil {
				return 130
			}
			fmt.Fprintf(os.Stderr, "mutants: %s: the tests fail without any mutant; fix them first\n", p)
			return 2
		}
		fmt.Printf("mutants: %s: WARNING: a test failed once without any mutant and passed when run again: flaky; a kill in %s may be the flake\n", p, p)
	}

	width := 0
	for _, m := range ms {
		width = max(width, len(m.id))
	}
	var rs []result
	for i := range ms {
		m := &ms[i]
		r := apply(ctx, scratch, m, timeout)
		if ctx.Err() != nil {
			return 130
		}
		rs = append(rs, r)
		word := map[outcome]string{killed: "killed  ", survived: "SURVIVED", broken: "NO BUILD"}[r.out]
		fmt.Printf("%3d/%d %s %-*s %5.1fs  %s\n", i+1, len(ms), word, width, m.id, r.took.Seconds(), r.by)
		if r.out == broken {
			fmt.Print(indent(r.log))
		}
	}
	return report(rs)
}

// apply writes m into the scratch copy, runs its package's tests and puts
// the file back.
func apply(ctx context.Context, scratch string, m *mutant, timeout time.Duration) result {
	file := filepath.Join(scratch, m.file)
	orig, err := os.ReadFile(file)
	if err != nil {
		return result{m: m, out: broken, log: err.Error()}
	}
	defer os.WriteFile(file, orig, 0o644)
	mutated := strings.Replace(string(orig), m.from, m.to, 1)
	if err := os.WriteFile(file, []byte(mutated), 0o644); err != nil {
		return result{m: m, out: broken, log: err.Error()}
	}
	t := goTest(ctx, scratch, timeout, m.pkg())
	r := result{m: m, took: t.took, log: t.output}
	switch {
	case t.err == nil:
		r.out = survived
	case t.buildFailed():
		r.out = broken
	default:
		r.out = killed
		r.by = killer(t.output)
	}
	return r
}

// killer names what failed in go test's output: a timeout, the first
// failing test, or a panic.
func killer(out string) string {
	if strings.Contains(out, "panic: test timed out") {
		return "by the timeout"
	}
	for _, l := range strings.Split(out, "\n") {
		if name, ok := strings.CutPrefix(strings.TrimSpace(l), "--- FAIL: "); ok {
			name, _, _ = strings.Cut(name, " ")
			return "by " + name
		}
	}
	if strings.Contains(out, "panic:") {
		return "by a panic"
	}
	return ""
}

type testRun struct {
	output string
	err    error
	took   time.Duration
}

// buildFailed tells a mutant that does not compile from failing tests.
func (t testRun) buildFailed() bool {
	return strings.Contains(t.output, "[build failed]") || strings.Contains(t.output, "[setup failed]")
}

// goTest runs the packages' tests without the race detector or vet (vet
// could refuse a mutant that the compiler takes), stopping at the first
// failure. A hung test is stopped by go test's own -timeout, and the whole
// command a minute later.
func goTest(ctx context.Context, dir string, timeout time.Duration, pkgs ...string) testRun {
	ctx, cancel := context.WithTimeout(ctx, timeout+time.Minute)
	defer cancel()
	args := append([]string{"test", "-count=1", "-failfast", "-vet=off", "-timeout", timeout.String()}, pkgs...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	return testRun{output: out.String(), err: err, took: time.Since(start)}
}

// copyTree copies the work tree's files, tracked and untracked but not
// ignored, into dst.
func copyTree(dst string) error {
	out, err := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		return fmt.Errorf("git ls-files: %w", err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if name == "" {
			continue
		}
		if err := copyFile(name, filepath.Join(dst, name)); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue // deleted in the work tree, not yet in the index
			}
			return err
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	info, err := os.Lstat(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if info.Mode()&os.ModeSymlink != 0 {
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	}
	if !info.Mode().IsRegular() {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// report prints the survivors, the mutants that did not build and the kill
// rate per package and overall. It returns 1 when a mutant did not build.
func report(rs []result) int {
	type tally struct{ killed, total int }
	per := map[string]*tally{}
	var all tally
	var surv, bad []result
	for _, r := range rs {
		p := r.m.pkg()
		if per[p] == nil {
			per[p] = &tally{}
		}
		switch r.out {
		case killed:
			per[p].killed++
			all.killed++
		case survived:
			surv = append(surv, r)
		case broken:
			bad = append(bad, r)
			continue // not counted: an error in the list, not a figure
		}
		per[p].total++
		all.total++
	}
	if len(surv) > 0 {
		fmt.Printf("\n=== %d survivors (no test failed with the bug in place)\n", len(surv))
		for _, r := range surv {
			fmt.Printf("%s %s: %s\n", r.m.id, r.m.file, r.m.why)
			fmt.Printf("    - %s\n    + %s\n", strings.ReplaceAll(r.m.from, "\n", "\n    - "), strings.ReplaceAll(r.m.to, "\n", "\n    + "))
		}
	}
	if len(bad) > 0 {
		fmt.Printf("\n=== %d mutants do not compile: fix them in %s\n", len(bad), listFile)
		for _, r := range bad {
			fmt.Printf("%s %s (%s:%d)\n", r.m.id, r.m.file, listFile, r.m.line)
		}
	}
	fmt.Printf("\n=== kill rate\n")
	var ps []string
	for p := range per {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	for _, p := range ps {
		t := per[p]
		fmt.Printf("%-16s %3d/%-3d %s\n", p, t.killed, t.total, pct(t.killed, t.total))
	}
	fmt.Printf("%-16s %3d/%-3d %s\n", "all", all.killed, all.total, pct(all.killed, all.total))
	if len(bad) > 0 {
		return 1
	}
	return 0
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%5.1f %%", 100*float64(a)/float64(b))
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("        " + l + "\n")
	}
	return b.String()
}
