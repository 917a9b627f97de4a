// Package load finds strategy files on disk and compiles them.
//
// A path names a strategy file or a folder of them. In a folder, every *.lua
// file directly inside is a strategy; subfolders hold Lua modules that
// strategies reach with require (scripts/lib/sizing.lua is
// require("lib.sizing")), so they are not strategies themselves.
package load

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/qbtrading/qb/host/script"
)

// Source is a compiled strategy file and the folder its require reaches.
type Source struct {
	Program   *script.Program
	Code      []byte // the source the program was compiled from
	ModuleDir string
}

// Find lists the strategy files that paths name, in a stable order: the
// paths' order, and by name inside a folder. A path that does not exist, or
// a folder without strategies, is an error.
func Find(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("find strategies: %w", err)
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		matches, err := filepath.Glob(filepath.Join(p, "*.lua"))
		if err != nil {
			return nil, fmt.Errorf("find strategies in %s: %w", p, err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("find strategies: %s holds no .lua files", p)
		}
		slices.Sort(matches)
		for _, m := range matches {
			if IsStrategyFile(m) {
				files = append(files, m)
			}
		}
	}
	return files, nil
}

// Compile reads and compiles each file. It reports every file that fails,
// not only the first, joined into one error of *script.Error values.
func Compile(files []string) ([]Source, error) {
	var (
		out  []Source
		errs []error
	)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, fmt.Errorf("read strategy: %w", err))
			continue
		}
		prog, err := script.Compile(f, src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, Source{Program: prog, Code: src, ModuleDir: filepath.Dir(f)})
	}
	return out, errors.Join(errs...)
}

// Strategies finds and compiles the strategies that paths name.
func Strategies(paths []string) ([]Source, error) {
	files, err := Find(paths)
	if err != nil {
		return nil, err
	}
	return Compile(files)
}

// IsStrategyFile reports whether name looks like a strategy or module file
// rather than an editor's backup or swap file.
func IsStrategyFile(name string) bool {
	base := filepath.Base(name)
	return strings.HasSuffix(base, ".lua") && !strings.HasPrefix(base, ".")
}
