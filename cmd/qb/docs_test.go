package main

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/qbtrading/qb/host/script"
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
