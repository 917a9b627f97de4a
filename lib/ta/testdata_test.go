package ta

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// table is a CSV file from testdata: its bars and every numeric column,
// NaN where the cell is empty.
type table struct {
	bars []Bar
	cols map[string][]float64
}

func loadTable(t testing.TB, name string) table {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	head := recs[0]
	tb := table{cols: map[string][]float64{}}
	for line, rec := range recs[1:] {
		for j, cell := range rec {
			v := math.NaN()
			if cell != "" {
				if v, err = strconv.ParseFloat(cell, 64); err != nil {
					t.Fatalf("%s:%d: column %s: %v", name, line+2, head[j], err)
				}
			}
			tb.cols[head[j]] = append(tb.cols[head[j]], v)
		}
	}
	c := tb.cols
	for i := range c["close"] {
		tb.bars = append(tb.bars, Bar{Open: c["open"][i], High: c["high"][i], Low: c["low"][i],
			Close: c["close"][i], Volume: c["volume"][i]})
	}
	return tb
}

func (tb table) closes() []float64 { return tb.cols["close"] }

// relErr is |got−want| / |want|, 0 for two equal values (including two
// zeros) and +Inf when one is NaN and the other is not.
func relErr(got, want float64) float64 {
	if got == want || (math.IsNaN(got) && math.IsNaN(want)) {
		return 0
	}
	if math.IsNaN(got) || math.IsNaN(want) {
		return math.Inf(1)
	}
	return math.Abs(got-want) / math.Abs(want)
}
