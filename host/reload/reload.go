package reload

import (
	"encoding/hex"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/load"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/host/watch"
)

// Engine is the part of *engine.Engine a reload changes.
type Engine interface {
	Replace(name string, sp engine.Spec) error
	Add(sp engine.Spec) error
	Remove(name string) error
	Results() []engine.Result
}

// Config is what a Reloader needs besides the engine.
type Config struct {
	Dir    string         // the scripts folder the watcher watches
	Base   script.Options // budget, failures and the like, for every version
	Params load.Params    // --param overrides, applied to every version
	Log    zerolog.Logger
	Now    func() time.Time // for durations; time.Now when nil
}

// Reloader applies watch.Change batches to an engine. It is used on the
// engine's goroutine only.
type Reloader struct {
	eng    Engine
	cfg    Config
	byFile map[string]*entry // strategy file path → what runs from it
	counts Counters
}

// entry is one strategy file and the version of it that runs.
type entry struct {
	status   Status
	src      []byte   // the running version's source, to rebuild on a module change
	needs    []string // modules it requires, directly or not
	rejected []byte   // the last rejected source, retried when a module it needs changes
	conflict string   // the strategy name another file ran when rejected was tried
}

// New returns a Reloader for eng. Track the strategies loaded at start
// before applying changes.
func New(eng Engine, cfg Config) *Reloader {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Reloader{eng: eng, cfg: cfg, byFile: map[string]*entry{}}
}

// Track records a strategy the engine was started with, as version 1.
func (r *Reloader) Track(src load.Source, meta script.Meta) {
	r.byFile[src.Program.File] = &entry{
		status: Status{Name: meta.Name, File: src.Program.File, Version: 1, Hash: src.Program.Hash},
		src:    src.Code,
		needs:  watch.RequiresAll(r.cfg.Dir, src.Code),
	}
}

// Apply carries out one batch of changes, strategies first, then modules.
func (r *Reloader) Apply(batch []watch.Change) {
	batch = r.renames(batch)
	var modules []string
	for _, c := range batch {
		switch {
		case c.IsModule:
			modules = append(modules, c.Module)
		case c.Kind == watch.Removed:
			r.remove(c)
		default:
			r.update(c)
		}
	}
	if len(modules) > 0 {
		r.modulesChanged(modules)
	}
}

// Status lists every strategy file's status, by file.
func (r *Reloader) Status() []Status {
	out := make([]Status, 0, len(r.byFile))
	for _, e := range r.byFile {
		out = append(out, e.status)
	}
	slices.SortFunc(out, func(a, b Status) int { return strings.Compare(a.File, b.File) })
	return out
}

// Counters returns the reload counts so far.
func (r *Reloader) Counters() Counters { return r.counts }

func short(h [32]byte) string { return hex.EncodeToString(h[:6]) }

// isStrategyPath reports whether path is a strategy file directly in dir.
func (r *Reloader) isStrategyPath(path string) bool {
	return filepath.Clean(filepath.Dir(path)) == filepath.Clean(r.cfg.Dir)
}
