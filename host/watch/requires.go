package watch

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// Requires lists the modules a Lua source requires with a literal name,
// sorted and without repeats: require("lib.sizing"), require "x",
// require 'x'. It is a static approximation, read from the parsed source:
// a require through a variable or a computed name is missed, and one in a
// branch that never runs is counted. A source that does not parse yields
// nil; compiling it fails anyway and reports the error.
func Requires(src []byte) []string {
	stmts, err := parseLua(src)
	if err != nil {
		return nil
	}
	var r requireScan
	r.stmts(stmts)
	slices.Sort(r.names)
	return slices.Compact(r.names)
}

// RequiresAll is Requires followed through the modules themselves: every
// module a source needs, directly or through another module, with modules
// read from dir (the strategy folder; "lib.sizing" is dir/lib/sizing.lua).
// A module that cannot be read is still listed but not followed.
func RequiresAll(dir string, src []byte) []string {
	seen := map[string]bool{}
	queue := Requires(src)
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if seen[name] {
			continue
		}
		seen[name] = true
		mod, err := os.ReadFile(ModulePath(dir, name))
		if err == nil && len(mod) <= maxFileBytes {
			queue = append(queue, Requires(mod)...)
		}
	}
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// ModulePath is the file require(name) reads in dir: "lib.sizing" →
// dir/lib/sizing.lua. It only maps the name; host/script checks it.
func ModulePath(dir, name string) string {
	return filepath.Join(dir, filepath.Join(strings.Split(name, ".")...)+".lua")
}

// parseLua parses src; the parser's own panics become errors.
func parseLua(src []byte) (stmts []ast.Stmt, err error) {
	defer func() {
		if r := recover(); r != nil {
			stmts, err = nil, fmt.Errorf("parse lua: parser failure: %v", r)
		}
	}()
	return parse.Parse(bytes.NewReader(src), "requires")
}

// requireScan walks a syntax tree collecting require("literal") calls.
type requireScan struct{ names []string }

func (r *requireScan) stmts(list []ast.Stmt) {
	for _, s := range list {
		r.stmt(s)
	}
}

func (r *requireScan) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.AssignStmt:
		r.exprs(s.Lhs)
		r.exprs(s.Rhs)
	case *ast.LocalAssignStmt:
		r.exprs(s.Exprs)
	case *ast.FuncCallStmt:
		r.expr(s.Expr)
	case *ast.DoBlockStmt:
		r.stmts(s.Stmts)
	case *ast.WhileStmt:
		r.expr(s.Condition)
		r.stmts(s.Stmts)
	case *ast.RepeatStmt:
		r.stmts(s.Stmts)
		r.expr(s.Condition)
	case *ast.IfStmt:
		r.expr(s.Condition)
		r.stmts(s.Then)
		r.stmts(s.Else)
	case *ast.NumberForStmt:
		r.exprs([]ast.Expr{s.Init, s.Limit, s.Step})
		r.stmts(s.Stmts)
	case *ast.GenericForStmt:
		r.exprs(s.Exprs)
		r.stmts(s.Stmts)
	case *ast.FuncDefStmt:
		r.expr(s.Func)
	case *ast.ReturnStmt:
		r.exprs(s.Exprs)
	}
}

func (r *requireScan) exprs(list []ast.Expr) {
	for _, e := range list {
		r.expr(e)
	}
}

func (r *requireScan) expr(e ast.Expr) {
	switch e := e.(type) {
	case *ast.FuncCallExpr:
		r.call(e)
	case *ast.AttrGetExpr:
		r.exprs([]ast.Expr{e.Object, e.Key})
	case *ast.TableExpr:
		for _, f := range e.Fields {
			r.exprs([]ast.Expr{f.Key, f.Value})
		}
	case *ast.LogicalOpExpr:
		r.exprs([]ast.Expr{e.Lhs, e.Rhs})
	case *ast.RelationalOpExpr:
		r.exprs([]ast.Expr{e.Lhs, e.Rhs})
	case *ast.StringConcatOpExpr:
		r.exprs([]ast.Expr{e.Lhs, e.Rhs})
	case *ast.ArithmeticOpExpr:
		r.exprs([]ast.Expr{e.Lhs, e.Rhs})
	case *ast.UnaryMinusOpExpr:
		r.expr(e.Expr)
	case *ast.UnaryNotOpExpr:
		r.expr(e.Expr)
	case *ast.UnaryLenOpExpr:
		r.expr(e.Expr)
	case *ast.FunctionExpr:
		r.stmts(e.Stmts)
	}
}

// call records require("name") and walks the call's parts.
func (r *requireScan) call(c *ast.FuncCallExpr) {
	if id, ok := c.Func.(*ast.IdentExpr); ok && id.Value == "require" && c.Receiver == nil && len(c.Args) > 0 {
		if s, ok := c.Args[0].(*ast.StringExpr); ok {
			r.names = append(r.names, s.Value)
		}
	}
	r.exprs([]ast.Expr{c.Func, c.Receiver})
	r.exprs(c.Args)
}
