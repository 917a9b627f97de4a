package script

import "github.com/yuin/gopher-lua/ast"

// maxConcatOperands is the most operands one `..` instruction joins.
//
// gopher-lua compiles a chain a .. b .. c .. ... into one CONCAT
// instruction that builds the whole result in one Go allocation, which
// neither the time budget nor the memory watch can interrupt: two hundred
// operands of a 16 MiB string are 3.2 GB in one instruction. splitConcats
// rewrites longer chains into nested ones of at most this many operands,
// so one instruction builds at most maxConcatOperands times its largest
// operand and the watch sees the rest grow step by step. Chains of up to
// eight operands, nearly all real ones, compile exactly as before.
const maxConcatOperands = 8

// splitConcats rewrites, in place, every concatenation chain in stmts
// longer than maxConcatOperands. A long chain becomes
// ((o1 .. ... .. o8) .. o9 .. ... .. o15) .. ...: plain strings and
// numbers join to the same result; a __concat metamethod sees operands
// grouped differently, as in ((a .. b) .. c).
func splitConcats(stmts []ast.Stmt) {
	for _, st := range stmts {
		splitStmt(st)
	}
}

func splitStmt(st ast.Stmt) {
	switch s := st.(type) {
	case *ast.AssignStmt:
		splitExprs(s.Lhs)
		splitExprs(s.Rhs)
	case *ast.LocalAssignStmt:
		splitExprs(s.Exprs)
	case *ast.FuncCallStmt:
		s.Expr = splitExpr(s.Expr)
	case *ast.DoBlockStmt:
		splitConcats(s.Stmts)
	case *ast.WhileStmt:
		s.Condition = splitExpr(s.Condition)
		splitConcats(s.Stmts)
	case *ast.RepeatStmt:
		s.Condition = splitExpr(s.Condition)
		splitConcats(s.Stmts)
	case *ast.IfStmt:
		s.Condition = splitExpr(s.Condition)
		splitConcats(s.Then)
		splitConcats(s.Else)
	case *ast.NumberForStmt:
		s.Init, s.Limit, s.Step = splitExpr(s.Init), splitExpr(s.Limit), splitExpr(s.Step)
		splitConcats(s.Stmts)
	case *ast.GenericForStmt:
		splitExprs(s.Exprs)
		splitConcats(s.Stmts)
	case *ast.FuncDefStmt:
		if s.Func != nil {
			splitConcats(s.Func.Stmts)
		}
	case *ast.ReturnStmt:
		splitExprs(s.Exprs)
	}
}

func splitExprs(es []ast.Expr) {
	for i := range es {
		es[i] = splitExpr(es[i])
	}
}

func splitExpr(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.StringConcatOpExpr:
		return splitChain(x)
	case *ast.AttrGetExpr:
		x.Object, x.Key = splitExpr(x.Object), splitExpr(x.Key)
	case *ast.TableExpr:
		for _, f := range x.Fields {
			f.Key, f.Value = splitExpr(f.Key), splitExpr(f.Value)
		}
	case *ast.FuncCallExpr:
		x.Func, x.Receiver = splitExpr(x.Func), splitExpr(x.Receiver)
		splitExprs(x.Args)
	case *ast.LogicalOpExpr:
		x.Lhs, x.Rhs = splitExpr(x.Lhs), splitExpr(x.Rhs)
	case *ast.RelationalOpExpr:
		x.Lhs, x.Rhs = splitExpr(x.Lhs), splitExpr(x.Rhs)
	case *ast.ArithmeticOpExpr:
		x.Lhs, x.Rhs = splitExpr(x.Lhs), splitExpr(x.Rhs)
	case *ast.UnaryMinusOpExpr:
		x.Expr = splitExpr(x.Expr)
	case *ast.UnaryNotOpExpr:
		x.Expr = splitExpr(x.Expr)
	case *ast.UnaryLenOpExpr:
		x.Expr = splitExpr(x.Expr)
	case *ast.FunctionExpr:
		splitConcats(x.Stmts)
	}
	return e
}

// splitChain rewrites one right-nested chain a .. (b .. (c .. d)), the
// shape the parser builds and the compiler flattens into one instruction.
func splitChain(e *ast.StringConcatOpExpr) ast.Expr {
	var ops []ast.Expr
	var nodes []*ast.StringConcatOpExpr
	var cur ast.Expr = e
	for {
		c, ok := cur.(*ast.StringConcatOpExpr)
		if !ok {
			ops = append(ops, splitExpr(cur))
			break
		}
		nodes = append(nodes, c)
		ops = append(ops, splitExpr(c.Lhs))
		cur = c.Rhs
	}
	if len(ops) <= maxConcatOperands {
		for i, n := range nodes { // the chain as it was, operands rewritten
			n.Lhs = ops[i]
		}
		nodes[len(nodes)-1].Rhs = ops[len(ops)-1]
		return e
	}
	out := chain(e, ops[:maxConcatOperands])
	for rest := ops[maxConcatOperands:]; len(rest) > 0; {
		n := min(len(rest), maxConcatOperands-1)
		joined := &ast.StringConcatOpExpr{Lhs: out, Rhs: chain(e, rest[:n])}
		joined.SetLine(e.Line())
		joined.SetLastLine(e.LastLine())
		out, rest = joined, rest[n:]
	}
	return out
}

// chain joins ops right-nested, as the parser would, placed at e's lines.
func chain(e *ast.StringConcatOpExpr, ops []ast.Expr) ast.Expr {
	out := ops[len(ops)-1]
	for i := len(ops) - 2; i >= 0; i-- {
		n := &ast.StringConcatOpExpr{Lhs: ops[i], Rhs: out}
		n.SetLine(e.Line())
		n.SetLastLine(e.LastLine())
		out = n
	}
	return out
}
