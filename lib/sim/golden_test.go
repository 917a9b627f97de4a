package sim

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestGolden pins the tick stream of seed 42: a change to the model, the
// generator or the defaults shows here, so a user's recorded seed keeps
// replaying the same market unless the change is meant (go test -update).
func TestGolden(t *testing.T) {
	s := mustNew(t, Config{Seed: 42, TickInterval: 37 * time.Second})
	var buf bytes.Buffer
	buf.WriteString("seq,time,symbol,price,volume,bid,ask\n")
	for range 1200 { // past the first close (633 ticks a day)
		tk := s.Next()
		if tk.Seq <= 40 || tk.Seq%50 == 0 {
			fmt.Fprintf(&buf, "%d,%s,%s,%d,%d,%d,%d\n", tk.Seq, tk.Time.Format(time.RFC3339),
				tk.Symbol, tk.Price, tk.Volume, tk.Bid, tk.Ask)
		}
	}
	path := filepath.Join("testdata", "seed42.golden")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("seed 42 no longer gives %s; got:\n%s", path, buf.String())
	}
}
