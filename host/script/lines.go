package script

import (
	"github.com/yuin/gopher-lua/ast"
)

// declLines remembers where a script declares the strategy's fields, so a
// contract error can name a line (the values themselves are only known
// after the chunk has run, when the source positions are gone).
type declLines struct {
	fields  map[string]int // name, symbols, timeframe, params → line
	symbols []int          // line of each element of a literal symbols list
	params  map[string]int // params.<key> → line
}

var contractKeys = []string{"name", "symbols", "timeframe", "params"}

// findDeclLines scans the top-level statements for the strategy table: a
// table constructor that has a symbols or timeframe key, and assignments
// such as s.name = "x". The first declaration of each field wins.
func findDeclLines(chunk []ast.Stmt) declLines {
	d := declLines{fields: map[string]int{}, params: map[string]int{}}
	for _, st := range chunk {
		switch st := st.(type) {
		case *ast.LocalAssignStmt:
			d.exprs(st.Exprs)
		case *ast.ReturnStmt:
			d.exprs(st.Exprs)
		case *ast.AssignStmt:
			d.exprs(st.Rhs)
			for i, lhs := range st.Lhs {
				if attr, ok := lhs.(*ast.AttrGetExpr); ok && i < len(st.Rhs) {
					if key, ok := attr.Key.(*ast.StringExpr); ok {
						d.field(key.Value, st.Rhs[i])
					}
				}
			}
		}
	}
	return d
}

func (d *declLines) exprs(es []ast.Expr) {
	for _, e := range es {
		t, ok := e.(*ast.TableExpr)
		if !ok || !isStrategyTable(t) {
			continue
		}
		for _, f := range t.Fields {
			if key, ok := f.Key.(*ast.StringExpr); ok {
				d.field(key.Value, f.Value)
			}
		}
	}
}

func isStrategyTable(t *ast.TableExpr) bool {
	for _, f := range t.Fields {
		if key, ok := f.Key.(*ast.StringExpr); ok && (key.Value == "symbols" || key.Value == "timeframe") {
			return true
		}
	}
	return false
}

// field records the line of a contract field and, for literal tables, of
// its elements.
func (d *declLines) field(key string, v ast.Expr) {
	known := false
	for _, k := range contractKeys {
		known = known || k == key
	}
	if !known || d.fields[key] != 0 {
		return
	}
	d.fields[key] = v.Line()
	t, ok := v.(*ast.TableExpr)
	if !ok {
		return
	}
	for _, f := range t.Fields {
		switch {
		case key == "symbols" && f.Key == nil:
			d.symbols = append(d.symbols, f.Value.Line())
		case key == "params":
			if pk, ok := f.Key.(*ast.StringExpr); ok {
				d.params[pk.Value] = f.Value.Line()
			}
		}
	}
}

// symbol is the line of symbols[i] (1-based), or of the list.
func (d declLines) symbol(i int) int {
	if i >= 1 && i <= len(d.symbols) {
		return d.symbols[i-1]
	}
	return d.fields["symbols"]
}

// param is the line of params.name, or of the params table.
func (d declLines) param(name string) int {
	if l := d.params[name]; l != 0 {
		return l
	}
	return d.fields["params"]
}
