package watch

import (
	"path/filepath"
	"strings"
)

// Editor droppings, from Hugo's filter (LUA.md §A3) and the editors' own
// habits: vim's swap files and backup "~", its "4913" write probe, emacs'
// ".#lock" and "#autosave#", GNOME's ".goutputstream-*", JetBrains' safe
// write temporaries and any "*.tmp".
var (
	droppingPrefixes = []string{".#", "#", ".goutputstream"}
	droppingSuffixes = []string{".swp", ".swx", "~", "#", ".tmp", "___jb_tmp___", "___jb_old___", "___jb_bak___"}
)

// isLua reports whether base names a strategy or module file rather than
// a dropping: a ".lua" file that is not hidden. host/load applies the same
// rule (no leading dot) when it lists strategies.
func isLua(base string) bool {
	if !strings.HasSuffix(base, ".lua") || base == "4913" || strings.HasPrefix(base, ".") {
		return false
	}
	for _, p := range droppingPrefixes {
		if strings.HasPrefix(base, p) {
			return false
		}
	}
	for _, s := range droppingSuffixes {
		if strings.HasSuffix(base, s) {
			return false
		}
	}
	return true
}

// skipDir reports whether a subfolder is left unwatched: hidden ones
// (.git, an editor's backup folder, Kubernetes' "..data"), which neither
// host/load nor require reach by a plain module name.
func skipDir(base string) bool { return strings.HasPrefix(base, ".") }

// maxDepth bounds how deep subfolders are watched.
const maxDepth = 16

// place says where path sits under root: whether it is a module (in a
// subfolder), the name require reaches it by, and whether it is inside
// root at all.
func place(root, path string) (isModule bool, module string, inside bool) {
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false, "", false
	}
	module = strings.ReplaceAll(strings.TrimSuffix(rel, ".lua"), string(filepath.Separator), ".")
	return strings.ContainsRune(rel, filepath.Separator), module, true
}
