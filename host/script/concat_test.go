package script

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// concatWidths returns the operand count of every CONCAT instruction in
// the compiled program (gopher-lua's listing: "CONCAT | A, B, C").
func concatWidths(t *testing.T, src string) []int {
	t.Helper()
	p := compileSrc(t, src)
	re := regexp.MustCompile(`CONCAT\s*\|\s*(\d+),\s*(\d+),\s*(\d+)`)
	var out []int
	for _, m := range re.FindAllStringSubmatch(p.proto.String(), -1) {
		b, _ := strconv.Atoi(m[2])
		c, _ := strconv.Atoi(m[3])
		out = append(out, c-b+1)
	}
	return out
}

func TestLongConcatChainsAreSplit(t *testing.T) {
	long := "return " + strings.Repeat(`x .. `, 199) + "x"
	cases := []struct {
		name, src string
		maxWidth  int
		count     int
	}{
		{"two", `local a, b = "a", "b" return a .. b`, 2, 1},
		{"eight", `local x = "x" return x .. x .. x .. x .. x .. x .. x .. x`, 8, 1},
		{"nine", `local x = "x" return x .. x .. x .. x .. x .. x .. x .. x .. x`, 8, 2},
		{"two hundred", "local x = 'x' " + long, 8, 29},
		{"inside a function", "local function f(x) " + long + " end return f", 8, 29},
		{"in a table and a call", "local x = 'x' print({ k = " + strings.TrimPrefix(long, "return ") + " }) return 1", 8, 29},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			widths := concatWidths(t, c.src)
			if len(widths) != c.count {
				t.Errorf("%d CONCAT instructions %v, want %d", len(widths), widths, c.count)
			}
			for _, w := range widths {
				if w > c.maxWidth {
					t.Errorf("a CONCAT of %d operands (all: %v), want at most %d", w, widths, c.maxWidth)
				}
			}
		})
	}
}

// TestSplitConcatsKeepResults: the rewritten chains give the same strings.
func TestSplitConcatsKeepResults(t *testing.T) {
	s := start(t, "probe.lua", nil, Options{})
	var parts, want []string
	for i := 1; i <= 30; i++ {
		parts = append(parts, strconv.Itoa(i))
		want = append(want, strconv.Itoa(i))
	}
	p := compileSrc(t, "local n = 7 return "+strings.Join(parts, ` .. "," .. `)+` .. (n .. "x" .. n)`)
	if w := concatWidths(t, "local n = 7 return "+strings.Join(parts, ` .. "," .. `)); len(w) < 2 {
		t.Fatalf("the chain was not split: %v", w)
	}
	err := s.L.CallByParam(lua.P{Fn: s.L.NewFunctionFromProto(p.proto), NRet: 1, Protect: true})
	got := s.L.Get(-1).String()
	s.L.Pop(1)
	if w := strings.Join(want, ",") + "7x7"; err != nil || got != w {
		t.Errorf("got %q, %v; want %q", got, err, w)
	}
}
