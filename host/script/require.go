package script

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

const maxModuleBytes = 1 << 20

// luaRequire is require(name): it loads name ("lib.util" →
// ModuleDir/lib/util.lua) once per LState and returns what the module
// returned (true for nothing). Compiled modules are cached per strategy, so
// an edit to a module takes effect when the strategy is next created.
func (s *Strategy) luaRequire(L *lua.LState) int {
	name := L.CheckString(1)
	if v, ok := s.loaded[name]; ok {
		L.Push(v)
		return 1
	}
	if s.loading[name] {
		L.RaiseError("require %q: circular require", name)
	}
	proto, err := s.moduleProto(name)
	if err != nil {
		if e, ok := err.(*Error); ok { // point at the module's own file and line
			L.Error(lua.LString(e.Error()), 0)
		}
		L.RaiseError("require %q: %v", name, err)
	}
	s.loading[name] = true
	defer delete(s.loading, name)
	L.Push(L.NewFunctionFromProto(proto))
	L.Push(lua.LString(name))
	L.Call(1, 1)
	v := L.Get(-1)
	L.Pop(1)
	if v == lua.LNil {
		v = lua.LTrue
	}
	s.loaded[name] = v
	L.Push(v)
	return 1
}

// moduleProto returns the compiled module, from the cache or the disk.
func (s *Strategy) moduleProto(name string) (*lua.FunctionProto, error) {
	if p, ok := s.modules[name]; ok {
		return p, nil
	}
	path, display, err := s.resolveModule(name)
	if err != nil {
		return nil, err
	}
	src, err := readLimited(path, maxModuleBytes)
	if err != nil {
		return nil, err
	}
	p, _, err := compileProto(display, src)
	if err != nil {
		return nil, err
	}
	s.modules[name] = p
	return p, nil
}

// resolveModule maps a module name to a file inside ModuleDir. Names are
// dot-separated words of letters, digits, '_' and '-', so "..", slashes and
// absolute paths cannot be written; a symlink that leads outside the
// directory is refused after resolving it.
func (s *Strategy) resolveModule(name string) (path, display string, err error) {
	if s.opt.ModuleDir == "" {
		return "", "", fmt.Errorf("no module directory is configured")
	}
	parts := strings.Split(name, ".")
	for _, p := range parts {
		if !validModulePart(p) {
			return "", "", fmt.Errorf("want a name like \"lib.util\" (words of letters, digits, '_' or '-' joined by dots)")
		}
	}
	rel := filepath.Join(parts...) + ".lua"
	display = filepath.Join(s.opt.ModuleDir, rel)
	root, err := filepath.EvalSymlinks(s.opt.ModuleDir)
	if err != nil {
		return "", "", fmt.Errorf("module directory: %w", err)
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return "", "", fmt.Errorf("module directory: %w", err)
	}
	real, err := filepath.EvalSymlinks(filepath.Join(root, rel))
	if err != nil {
		return "", "", fmt.Errorf("module not found: %s", display)
	}
	if inside, err := filepath.Rel(root, real); err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) || filepath.IsAbs(inside) {
		return "", "", fmt.Errorf("%s leads outside the module directory", display)
	}
	return real, display, nil
}

func validModulePart(p string) bool {
	if p == "" || len(p) > 64 {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// readLimited reads a regular file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read module: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("read module %s: not a regular file", path)
	}
	src, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read module: %w", err)
	}
	if int64(len(src)) > limit {
		return nil, fmt.Errorf("read module %s: larger than %d bytes", path, limit)
	}
	return src, nil
}
