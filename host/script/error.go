package script

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// ErrorKind says what went wrong with a script.
type ErrorKind int

// The kinds of script errors.
const (
	KindSyntax   ErrorKind = iota + 1 // the file does not parse or compile
	KindLoad                          // running the file's top level failed
	KindContract                      // the returned table breaks the strategy contract
	KindRuntime                       // a hook raised an error
	KindTimeout                       // a hook ran past its time budget
	KindPaused                        // a failure paused the strategy
	KindMemory                        // a hook allocated, or the state retains, more than the memory budget
)

var kindNames = [...]string{"", "syntax", "load", "contract", "runtime", "timeout", "paused", "memory"}

// String returns the kind in lower case ("runtime").
func (k ErrorKind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "ErrorKind(" + strconv.Itoa(int(k)) + ")"
}

// Error is a problem with a script, located by file and line where known.
type Error struct {
	File string    // the script or module file
	Line int       // 1-based; 0 when unknown
	Hook string    // "on_tick" etc.; empty outside a hook
	Kind ErrorKind // what went wrong
	Msg  string    // what happened, without the location
}

// Error formats the error as "file:line: hook: msg", leaving out the parts
// that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Hook != "" {
		b.WriteString(e.Hook)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// maxErrorBytes bounds an error message: error(s) with a huge s would
// otherwise be copied into every log line and report.
const maxErrorBytes = 2048

// luaPos matches the "file:line: " prefix gopher-lua puts on runtime errors.
var luaPos = regexp.MustCompile(`(?s)^(.*?):(\d+): (.*)$`)

// runtimeError turns an error from a protected call into an *Error. The
// location comes from gopher-lua's message when it has one; otherwise the
// error is placed in file with no line.
func runtimeError(file, hook string, kind ErrorKind, err error) *Error {
	msg := err.Error()
	var api *lua.ApiError
	if errors.As(err, &api) {
		switch api.Object.(type) {
		case lua.LString, lua.LNumber:
			msg = api.Object.String()
		default: // error({...}): its address would make reports differ run to run
			msg = "(error object is a " + api.Object.Type().String() + " value)"
		}
	}
	e := &Error{File: file, Hook: hook, Kind: kind, Msg: strings.TrimSpace(clip(msg, maxErrorBytes))}
	if m := luaPos.FindStringSubmatch(e.Msg); m != nil {
		if line, err := strconv.Atoi(m[2]); err == nil {
			e.File, e.Line, e.Msg = m[1], line, m[3]
		}
	}
	return e
}

// contractError is a KindContract error at line (0 when unknown).
func contractError(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Kind: KindContract, Msg: fmt.Sprintf(format, args...)}
}
