package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

var dailyFiles = []string{"../../testdata/krx/daily/005930.csv", "../../testdata/krx/daily/035420.csv"}

func mustQB(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := qb(t, context.Background(), args...)
	if code != 0 {
		t.Fatalf("qb %s: exit %d\nstdout: %s\nstderr: %.3000s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func TestMigrateAppliesAndReportsStatus(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		for range 2 { // the second run finds nothing to do
			out := mustQB(t, "migrate", "--store", target, "--log-level", "warn")
			if !regexp.MustCompile(`0001_schema.sql +applied`).MatchString(out) || !strings.Contains(out, "0 pending") {
				t.Fatalf("migrate printed:\n%s", out)
			}
			for _, line := range strings.Split(out, "\n") {
				if strings.Contains(line, ".sql") && !strings.Contains(line, " applied ") {
					t.Fatalf("migrate printed a migration not applied:\n%s", out)
				}
			}
		}
		out := mustQB(t, "migrate", "--store", target, "--status", "--log-level", "warn")
		if !strings.Contains(out, "applied") || strings.Contains(out, "pending") {
			t.Fatalf("migrate --status printed:\n%s", out)
		}
	})
}

// Import the daily files, import them again, and replay from the store:
// nothing doubled, and the same summary and report as from the files.
func TestImportThenReplayFromStoreMatchesFiles(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		for range 2 {
			out := mustQB(t, append([]string{"import", "--store", target, "--log-level", "warn"}, dailyFiles...)...)
			if strings.Count(out, ": 976 bars") != 2 {
				t.Fatalf("import printed:\n%s", out)
			}
		}
		st := openTestStore(t, target)
		n := 0
		for _, err := range st.Bars(context.Background(), nil, market.Day1, time.Unix(0, 0), time.Now()) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 2*976 {
			t.Fatalf("%d bars stored after two imports, want %d", n, 2*976)
		}
		dir := t.TempDir()
		fromStore, fromFiles := filepath.Join(dir, "store.json"), filepath.Join(dir, "files.json")
		common := []string{"--strategy", "../../scripts", "--log-level", "error"}
		outStore := mustQB(t, append([]string{"replay", "--store", target, "--symbols", "035420,005930",
			"--from", "2016-01-01", "--to", "2019-12-31", "--report", fromStore}, common...)...)
		outFiles := mustQB(t, append([]string{"replay", "--data", dailyFiles[1], "--data", dailyFiles[0],
			"--report", fromFiles}, common...)...)
		if outStore != outFiles {
			t.Fatalf("summaries differ:\nstore:\n%s\nfiles:\n%s", outStore, outFiles)
		}
		a, b := reportWithoutData(t, fromStore), reportWithoutData(t, fromFiles)
		if !bytes.Equal(a, b) {
			t.Fatal("the report from the store differs from the report from the files beyond its data field")
		}
		if !strings.Contains(outStore, "ma_cross") || !strings.Contains(outStore, "7808 ticks") {
			t.Fatalf("summary:\n%s", outStore)
		}
	})
}

// reportWithoutData reads a report and blanks its "data" field, which
// names the source (files or store) and so differs by design.
func reportWithoutData(t *testing.T, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep map[string]json.RawMessage
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep["data"]) == 0 || len(rep["strategies"]) < 100 {
		t.Fatalf("%s does not look like a report", path)
	}
	delete(rep, "data")
	out, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Two trades in the same second without a seq column stay two trades, and
// a re-import adds none.
func TestImportTicksKeepsSameSecondTrades(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		file := filepath.Join(t.TempDir(), "005930.csv")
		csv := "time,price,volume\n20240304090000,72100,5\n20240304090000,72000,3\n20240304090001,72000,1\n"
		if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if out := mustQB(t, "import", "--store", target, "--log-level", "warn", file); !strings.Contains(out, ": 3 ticks") {
				t.Fatalf("import printed %q", out)
			}
		}
		st := openTestStore(t, target)
		var prices []int64
		for tk, err := range st.Ticks(context.Background(), []market.Symbol{"005930"}, time.Unix(0, 0), time.Now()) {
			if err != nil {
				t.Fatal(err)
			}
			prices = append(prices, tk.Price)
		}
		if len(prices) != 3 || prices[0] != 72100 || prices[1] != 72000 {
			t.Fatalf("stored prices %v, want [72100 72000 72000] in file order", prices)
		}
	})
}

func TestStoreCommandsRejectBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "005930.csv")
	if err := os.WriteFile(bad, []byte("time,price,volume\n20240304090000,72100,5\n20240304090001,abc,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "qb.db")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", "--store", db, bad}, 1, bad + ":3"},
		{[]string{"import", "--store", db}, 2, "name at least one CSV file"},
		{[]string{"import", "--store", db, "--timeframe", "7q", bad}, 2, "--timeframe"},
		{[]string{"replay", "--store", db, "--strategy", "../../scripts"}, 2, "--symbols, --from and --to"},
		{[]string{"replay", "--store", db, "--data", "x.csv", "--strategy", "s"}, 2, "give one source"},
		{[]string{"replay", "--store", db, "--symbols", "005930", "--from", "2024-03-05", "--to", "2024-03-04", "--strategy", "../../scripts"}, 2, "before --from"},
		{[]string{"replay", "--store", db, "--symbols", "5930", "--from", "2024-03-04", "--to", "2024-03-04", "--strategy", "../../scripts"}, 2, "--symbols"},
		{[]string{"replay", "--store", db, "--symbols", "000660", "--from", "2024-03-04", "--to", "2024-03-04", "--strategy", "../../scripts"}, 1, "holds no ticks"},
		{[]string{"migrate", "extra"}, 2, "unexpected argument"},
	} {
		t.Run(strings.Join(tc.args[:1], " ")+" "+tc.want, func(t *testing.T) {
			out, errOut, code := qb(t, context.Background(), append(tc.args, "--log-level", "error")...)
			if code != tc.code || !strings.Contains(out+errOut, tc.want) {
				t.Fatalf("exit %d (want %d), output lacks %q:\n%s%s", code, tc.code, tc.want, out, errOut)
			}
		})
	}
}

// A URL's password never reaches a log line or a report.
func TestRedactHidesThePassword(t *testing.T) {
	got := redact("postgres://qb:s3cret@127.0.0.1:5432/qb?sslmode=disable")
	if strings.Contains(got, "s3cret") || !strings.Contains(got, "127.0.0.1:5432/qb") {
		t.Fatalf("redact = %q", got)
	}
}
