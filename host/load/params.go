package load

import (
	"fmt"
	"slices"
	"strings"

	"github.com/qbtrading/qb/host/script"
)

// Params are --param overrides: "fast=8" sets fast in every strategy that
// declares it; "ma_cross.fast=8" sets it in ma_cross only.
type Params struct {
	all   map[string]string            // unqualified name → value
	named map[string]map[string]string // strategy → name → value
}

// ParseParams reads name=value and strategy.name=value pairs.
func ParseParams(pairs []string) (Params, error) {
	p := Params{all: map[string]string{}, named: map[string]map[string]string{}}
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return Params{}, fmt.Errorf("--param %q: want name=value or strategy.name=value", kv)
		}
		strategy, name, qualified := strings.Cut(k, ".")
		if !qualified {
			p.all[k] = v
			continue
		}
		if p.named[strategy] == nil {
			p.named[strategy] = map[string]string{}
		}
		p.named[strategy][name] = v
	}
	return p, nil
}

// For returns the overrides for the strategy described by meta: the
// unqualified ones it declares and every one qualified with its name (an
// undeclared qualified name is left in, so script.New reports it).
func (p Params) For(meta script.Meta) map[string]string {
	out := map[string]string{}
	for k, v := range p.all {
		if slices.ContainsFunc(meta.Params, func(pp script.Param) bool { return pp.Name == k }) {
			out[k] = v
		}
	}
	for k, v := range p.named[meta.Name] {
		out[k] = v
	}
	return out
}

// Check reports an override that no strategy in metas can take: an
// unqualified name none declares, or a qualified one for a strategy not loaded.
func (p Params) Check(metas []script.Meta) error {
	for k := range p.all {
		declared := slices.ContainsFunc(metas, func(m script.Meta) bool {
			return slices.ContainsFunc(m.Params, func(pp script.Param) bool { return pp.Name == k })
		})
		if !declared {
			return fmt.Errorf("--param %s: no strategy declares it", k)
		}
	}
	for name := range p.named {
		if !slices.ContainsFunc(metas, func(m script.Meta) bool { return m.Name == name }) {
			return fmt.Errorf("--param %s.…: no strategy is named %s", name, name)
		}
	}
	return nil
}

// Inspect runs a program's top level in a throwaway sandbox to read what it
// declares. Hooks are not called, so no host is needed.
func Inspect(src Source) (script.Meta, error) {
	s, err := script.New(src.Program, nil, script.Options{ModuleDir: src.ModuleDir})
	if err != nil {
		return script.Meta{}, err
	}
	defer s.Close()
	return s.Meta(), nil
}
