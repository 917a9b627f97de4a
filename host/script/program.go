package script

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// Program is a compiled strategy file. It is immutable and may be shared by
// any number of Strategies (gopher-lua's function prototypes are read-only).
type Program struct {
	File string   // the name errors and logs use, usually the path as given
	Hash [32]byte // SHA-256 of the source, to tell versions apart

	proto *lua.FunctionProto
	lines declLines
}

// Compile parses and compiles src once. A syntax error is an *Error of kind
// KindSyntax with the line gopher-lua reports.
func Compile(file string, src []byte) (*Program, error) {
	proto, lines, err := compileProto(file, src)
	if err != nil {
		return nil, err
	}
	return &Program{File: file, Hash: sha256.Sum256(src), proto: proto, lines: lines}, nil
}

// compileProto parses and compiles one Lua source; shared by Compile and
// require.
func compileProto(file string, src []byte) (proto *lua.FunctionProto, lines declLines, err error) {
	defer func() {
		if r := recover(); r != nil { // the parser must never take the host down
			proto, err = nil, &Error{File: file, Kind: KindSyntax, Msg: fmt.Sprint("parser failure: ", r)}
		}
	}()
	chunk, err := parse.Parse(bytes.NewReader(src), file)
	if err != nil {
		return nil, lines, syntaxError(file, src, err)
	}
	splitConcats(chunk) // no `..` instruction may join more than maxConcatOperands values
	proto, err = lua.Compile(chunk, file)
	if err != nil {
		return nil, lines, syntaxError(file, src, err)
	}
	return proto, findDeclLines(chunk), nil
}

// syntaxError converts gopher-lua's parse and compile errors, which carry
// the line in their own formats, into an *Error.
func syntaxError(file string, src []byte, err error) *Error {
	e := &Error{File: file, Kind: KindSyntax, Msg: strings.TrimSpace(err.Error())}
	var pe *parse.Error
	var ce *lua.CompileError
	switch {
	case errors.As(err, &pe):
		e.Msg = pe.Message
		if pe.Pos.Line > 0 {
			e.Line = pe.Pos.Line
			if pe.Token != "" {
				e.Msg = fmt.Sprintf("%s near '%s'", pe.Message, pe.Token)
			}
		} else {
			e.Msg = pe.Message + " at end of file"
			e.Line = lastLine(src)
		}
	case errors.As(err, &ce):
		e.Line, e.Msg = ce.Line, ce.Message
	}
	return e
}

// lastLine is the number of the file's last non-empty line.
func lastLine(src []byte) int {
	return bytes.Count(bytes.TrimRight(src, "\n\r\t "), []byte("\n")) + 1
}
