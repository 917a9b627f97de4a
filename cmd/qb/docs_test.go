package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/tape"
)

// ctxNames lists the functions ctx really offers, by asking a strategy.
func ctxNames(t *testing.T) []string {
	t.Helper()
	src := `
local names = {}
local s = { name = "probe", symbols = { "005930" }, timeframe = "1d" }
function s.on_start(ctx)
  for k, v in pairs(ctx) do
    if type(v) == "function" then names[#names + 1] = k end
    if type(v) == "table" and k == "log" then
      for lk in pairs(v) do names[#names + 1] = "log." .. lk end
    end
  end
end
function s.on_stop(ctx) return names end
return s
`
	prog, err := script.Compile("probe.lua", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s, err := script.New(prog, nil, script.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Start(nil); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stop()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range st.([]any) {
		names = append(names, v.(string))
	}
	slices.Sort(names)
	return names
}

// Every function ctx offers has an example in docs/strategy-api.md, and the
// page shows no function ctx does not offer.
func TestStrategyAPIDocCoversCtx(t *testing.T) {
	doc, err := os.ReadFile("../../docs/strategy-api.md")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`ctx\.((?:log\.)?[a-z_]+)\(`).FindAllSubmatch(doc, -1) {
		used[string(m[1])] = true
	}
	names := ctxNames(t)
	for _, n := range names {
		if !used[n] {
			t.Errorf("ctx.%s has no example in docs/strategy-api.md", n)
		}
		delete(used, n)
	}
	for n := range used {
		t.Errorf("docs/strategy-api.md calls ctx.%s, which ctx does not offer (it offers %v)", n, names)
	}
}

// csvBlock matches a fenced csv block of a doc; the word after csv, if
// any, is the timeframe of its bars.
var csvBlock = regexp.MustCompile("(?m)^```csv ?([0-9a-z]*)\n((?s:.*?))^```$")

// Every csv example in docs/data-format.md parses with lib/tape, as a
// file named 005930.csv would, and yields every row it shows.
func TestDataFormatExamplesParse(t *testing.T) {
	doc, err := os.ReadFile("../../docs/data-format.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := csvBlock.FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 7 {
		t.Fatalf("%d csv examples in docs/data-format.md, want one per layout (7)", len(blocks))
	}
	for i, b := range blocks {
		opt := tape.Options{Symbol: "005930"}
		if b[1] != "" {
			if opt.Timeframe, err = market.ParseTimeframe(b[1]); err != nil {
				t.Fatalf("example %d: %v", i+1, err)
			}
		}
		name := fmt.Sprintf("data-format.md example %d", i+1)
		r, err := tape.NewReader(strings.NewReader(b[2]), name, opt)
		if err != nil {
			t.Errorf("%v\n%s", err, b[2])
			continue
		}
		n := 0
		for err == nil {
			if r.Kind() == tape.Bars {
				var bar market.Bar
				err = r.NextBar(&bar)
			} else {
				var tick market.Tick
				err = r.NextTick(&tick)
			}
			if err == nil {
				n++
			}
		}
		if !errors.Is(err, io.EOF) {
			t.Errorf("%v\n%s", err, b[2])
		} else if n < 2 {
			t.Errorf("%s: %d records, want at least 2\n%s", name, n, b[2])
		}
	}
}

// Every docs/*.md that a command's --help or the README names exists.
func TestReferencedDocsExist(t *testing.T) {
	docRef := regexp.MustCompile(`docs/[\w.-]+\.md`)
	texts := map[string]string{}
	for _, c := range commands() {
		out, _, _ := qb(t, context.Background(), c.name, "--help")
		texts["qb "+c.name+" --help"] = out
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	texts["README.md"] = string(readme)
	if !strings.Contains(texts["qb replay --help"], "docs/data-format.md") {
		t.Error("qb replay --help does not point to docs/data-format.md")
	}
	for where, text := range texts {
		for _, ref := range docRef.FindAllString(text, -1) {
			if _, err := os.Stat(filepath.Join("../..", ref)); err != nil {
				t.Errorf("%s names %s: %v", where, ref, err)
			}
		}
	}
}
