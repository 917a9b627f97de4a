package script

import (
	"math"
	"runtime/debug"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestHardenProcessWith: the Go memory limit goes to 90% of the cap, a
// lower limit already set (GOMEMLIMIT) is kept, a negative cap leaves it
// alone, and a cap too small to run is refused.
func TestHardenProcessWith(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	cases := []struct {
		name    string
		before  int64
		cap     int64
		want    int64
		wantErr bool
	}{
		{"no limit yet", math.MaxInt64, 1 << 30, (1 << 30) / 10 * 9, false},
		{"default cap", math.MaxInt64, 0, DefaultMemoryCap / 10 * 9, false},
		{"lower GOMEMLIMIT kept", 100 << 20, 1 << 30, 100 << 20, false},
		{"negative: no limit", math.MaxInt64, -1, math.MaxInt64, false},
		{"too small", math.MaxInt64, 10 << 20, math.MaxInt64, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			debug.SetMemoryLimit(c.before)
			err := HardenProcessWith(ProcessLimits{MemoryCap: c.cap})
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, want error %v", err, c.wantErr)
			}
			if got := debug.SetMemoryLimit(-1); got != c.want {
				t.Errorf("memory limit %d, want %d", got, c.want)
			}
			if !c.wantErr && lua.MaxArrayIndex != hardenedMaxArrayIndex {
				t.Errorf("MaxArrayIndex = %d", lua.MaxArrayIndex)
			}
		})
	}
}
