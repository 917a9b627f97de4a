package reload

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/load"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/host/watch"
)

// renames takes out of the batch each Removed/Added pair with the same
// content whose strategy keeps its name, and moves the entry to the new
// path. What is left goes through the ordinary rules.
func (r *Reloader) renames(batch []watch.Change) []watch.Change {
	var out []watch.Change
	for i, c := range batch {
		if c.IsModule || c.Kind != watch.Added {
			continue
		}
		for j, gone := range batch {
			e := r.byFile[gone.Path]
			if j == i || gone.Kind != watch.Removed || gone.Hash != c.Hash || e == nil || e.status.Removed {
				continue
			}
			delete(r.byFile, gone.Path)
			e.status.File = c.Path
			r.byFile[c.Path] = e
			r.counts.Renamed++
			r.cfg.Log.Info().Str("strategy", e.status.Name).Str("from", gone.Path).Str("to", c.Path).Msg("strategy file renamed")
			batch[i].Kind, batch[j].Kind = 0, 0 // handled
			break
		}
	}
	for _, c := range batch {
		if c.Kind != 0 {
			out = append(out, c)
		}
	}
	return out
}

// update compiles a new or changed strategy file and swaps it in.
func (r *Reloader) update(c watch.Change) {
	if !r.isStrategyPath(c.Path) {
		return
	}
	e := r.byFile[c.Path]
	if e != nil && !e.status.Removed && e.status.Hash == c.Hash {
		if e.status.Rejected != nil { // the file went back to the version that runs
			e.rejected, e.status.Rejected = nil, nil
		}
		return // the version that runs already
	}
	if e != nil {
		// The file on disk is what this save brings: a rejection of an
		// earlier save no longer describes it, whatever this one gives.
		e.rejected, e.status.Rejected = nil, nil
	}
	r.swap(c.Path, c.Src, c.Hash)
}

// swap builds a version of file from code and puts it in the engine.
func (r *Reloader) swap(file string, code []byte, hash [32]byte) {
	start := r.cfg.Now()
	e := r.byFile[file]
	if e == nil {
		e = &entry{status: Status{File: file, Removed: true}}
		r.byFile[file] = e
	}
	old := e.status
	spec, meta, err := r.build(file, code)
	if err == nil {
		err = r.install(e, spec, meta)
	}
	ev := r.cfg.Log.Info()
	if err != nil {
		ev = r.cfg.Log.Error().Err(err)
	}
	name := meta.Name
	if name == "" {
		name = old.Name
	}
	ev = ev.Str("strategy", name).Str("file", file).Str("old", short(old.Hash)).Str("new", short(hash)).
		Dur("took", r.cfg.Now().Sub(start))
	if err != nil && isLoadError(err) {
		r.counts.Rejected++
		e.status.Rejected = &Rejection{Version: old.Version + 1, Hash: hash, Err: err, At: r.cfg.Now()}
		e.rejected, e.conflict = code, ""
		var inUse *nameInUseError
		if errors.As(err, &inUse) {
			e.conflict = inUse.Name
		}
		ev.Str("status", e.status.String()).Msg("reload rejected; the running version stays")
		return
	}
	if e.status.Rejected == nil || e.status.Rejected.Hash == hash {
		e.rejected, e.status.Rejected, e.conflict = nil, nil, "" // the file on disk is what runs now
	}
	e.src, e.needs = code, watch.RequiresAll(r.cfg.Dir, code)
	e.status.Version, e.status.Hash, e.status.Name = old.Version+1, hash, meta.Name
	if old.Removed {
		r.counts.Added++
	} else {
		r.counts.Reloaded++
	}
	e.status.Removed = false
	ev.Str("status", e.status.String()).Msg("strategy reloaded")
}

// build compiles and inspects one version.
func (r *Reloader) build(file string, code []byte) (engine.Spec, script.Meta, error) {
	prog, err := script.Compile(file, code)
	if err != nil {
		return engine.Spec{}, script.Meta{}, loadError{err}
	}
	src := load.Source{Program: prog, ModuleDir: r.cfg.Dir}
	specs, metas, err := load.Specs([]load.Source{src}, r.cfg.Params, r.cfg.Base, r.cfg.Log)
	if err != nil {
		return engine.Spec{}, script.Meta{}, loadError{err}
	}
	return specs[0], metas[0], nil
}

// install puts a built version in the engine: a replacement when the file
// runs a strategy of the same name, else a removal and an addition. The
// version was built and checked already, so an error here comes from an
// on_stop or on_start: the new version is in (paused if on_start failed).
func (r *Reloader) install(e *entry, spec engine.Spec, meta script.Meta) error {
	if !e.status.Removed && e.status.Name == meta.Name {
		return r.eng.Replace(meta.Name, spec)
	}
	// Checked before the old version stops: a name another file runs
	// would make Add fail and leave this file running nothing.
	if other := r.runner(meta.Name, e); other != nil {
		return loadError{&nameInUseError{File: e.status.File, Name: meta.Name, Other: other.status.File}}
	}
	if !e.status.Removed {
		r.stop(e)
	}
	if err := r.eng.Add(spec); err != nil {
		return loadError{err} // Add installs nothing when it fails
	}
	return nil
}

// runner is the entry other than self that runs the strategy called name.
func (r *Reloader) runner(name string, self *entry) *entry {
	for _, e := range r.byFile {
		if e != self && !e.status.Removed && e.status.Name == name {
			return e
		}
	}
	return nil
}

// nameInUseError rejects a file that declares the name of a strategy
// another file runs. The file is tried again when that strategy stops, so
// a file renamed and edited in one go runs once its old name is gone.
type nameInUseError struct {
	File, Name, Other string
}

func (e *nameInUseError) Error() string {
	return fmt.Sprintf("%s: strategy name %q is already run by %s; a second file cannot run it", e.File, e.Name, e.Other)
}

// remove stops the strategy of a deleted file and reports what it held.
func (r *Reloader) remove(c watch.Change) {
	e := r.byFile[c.Path]
	if e == nil {
		return
	}
	e.rejected, e.status.Rejected, e.conflict = nil, nil, "" // nothing on disk is rejected now
	if e.status.Version == 0 {
		delete(r.byFile, c.Path) // it never ran: nothing to report
		return
	}
	if e.status.Removed {
		return
	}
	r.stop(e)
	r.counts.Removed++
	r.retryName(e.status.Name)
}

// retryName starts the files that were rejected because the strategy
// called name ran from another file, now that it has stopped; the first
// by path wins, the others are rejected again.
func (r *Reloader) retryName(name string) {
	for _, file := range sortedKeys(r.byFile) {
		if e := r.byFile[file]; e.conflict == name && e.rejected != nil {
			r.swap(file, e.rejected, hashOf(e.rejected))
		}
	}
}

func (r *Reloader) stop(e *entry) {
	name := e.status.Name
	if err := r.eng.Remove(name); err != nil {
		r.cfg.Log.Error().Err(err).Str("strategy", name).Msg("stopping a removed strategy")
	}
	e.status.Removed = true
	for _, res := range r.eng.Results() {
		if res.Name != name {
			continue
		}
		for _, h := range res.Positions {
			if h.Qty != 0 {
				r.cfg.Log.Warn().Str("strategy", name).Str("symbol", string(h.Symbol)).Int64("qty", h.Qty).
					Int64("cost", h.Cost).Int64("last", h.Last).Msg("stopped strategy still holds a position")
			}
		}
	}
	r.cfg.Log.Info().Str("strategy", name).Str("file", e.status.File).Msg("strategy stopped: its file was removed")
}

// modulesChanged rebuilds every running strategy that requires one of the
// changed modules, from its running source (require reads the modules
// anew), and retries strategies whose last version was rejected.
func (r *Reloader) modulesChanged(modules []string) {
	for _, file := range sortedKeys(r.byFile) {
		e := r.byFile[file]
		if e.rejected != nil && needsAny(watch.RequiresAll(r.cfg.Dir, e.rejected), modules) {
			r.swap(file, e.rejected, hashOf(e.rejected)) // the module may be what broke it
			continue
		}
		if e.status.Removed || !needsAny(e.needs, modules) {
			continue
		}
		r.cfg.Log.Info().Str("strategy", e.status.Name).Strs("modules", modules).Msg("module changed; reloading")
		r.swap(file, e.src, hashOf(e.src))
	}
}

// loadError marks an error from building a version: the old one stays.
type loadError struct{ error }

func (e loadError) Unwrap() error { return e.error }

func isLoadError(err error) bool {
	var le loadError
	return errors.As(err, &le)
}

func sortedKeys(m map[string]*entry) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func needsAny(needs, modules []string) bool {
	for _, m := range modules {
		if slices.Contains(needs, m) {
			return true
		}
	}
	return false
}

func hashOf(b []byte) [32]byte { return sha256.Sum256(b) }
