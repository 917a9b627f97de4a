package script

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rs/zerolog"
	lua "github.com/yuin/gopher-lua"
)

// Bounds on what a script can write to the log.
const (
	maxLogLines  = 100  // per hook call; the rest are counted and dropped
	maxLogBytes  = 4096 // per message
	maxLogFields = 32
	maxFieldLen  = 1024
)

// reservedFields are set by the host or by zerolog itself.
var reservedFields = []string{"level", "time", "message", "strategy", "hook", "lua"}

// newLogTable builds ctx.log with debug, info, warn and error.
func (s *Strategy) newLogTable() *lua.LTable {
	t := s.L.CreateTable(0, 4)
	for _, lv := range []struct {
		name  string
		level zerolog.Level
	}{{"debug", zerolog.DebugLevel}, {"info", zerolog.InfoLevel}, {"warn", zerolog.WarnLevel}, {"error", zerolog.ErrorLevel}} {
		level := lv.level
		t.RawSetString(lv.name, s.L.NewFunction(func(L *lua.LState) int { return s.luaLog(L, level) }))
	}
	return t
}

// luaLog is ctx.log.<level>(msg [, fields]). Fields are a flat table of
// string keys and string, number or boolean values, written in key order.
func (s *Strategy) luaLog(L *lua.LState, level zerolog.Level) int {
	msg := L.CheckString(1)
	var fields *lua.LTable
	switch v := L.Get(2).(type) {
	case *lua.LNilType:
	case *lua.LTable:
		fields = v
	default:
		L.ArgError(2, "fields: want a table such as { qty = 10 }, have "+describe(v))
	}
	keys := checkFields(L, fields)
	if !s.takeLogLine() {
		return 0
	}
	ev := s.opt.Log.WithLevel(level)
	if ev == nil {
		return 0
	}
	ev = ev.Str("lua", where(L))
	for _, k := range keys {
		switch v := fields.RawGetString(k).(type) {
		case lua.LString:
			ev = ev.Str(k, clip(string(v), maxFieldLen))
		case lua.LNumber:
			ev = ev.Float64(k, float64(v))
		case lua.LBool:
			ev = ev.Bool(k, bool(v))
		}
	}
	ev.Msg(clip(msg, maxLogBytes))
	return 0
}

// checkFields validates a fields table and returns its keys, sorted.
func checkFields(L *lua.LState, t *lua.LTable) []string {
	if t == nil {
		return nil
	}
	var keys []string
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		ks, ok := k.(lua.LString)
		if !ok || ks == "" || len(ks) > 64 {
			L.ArgError(2, "fields: keys must be short strings, have "+describe(k))
		}
		if slices.Contains(reservedFields, string(ks)) {
			L.ArgError(2, fmt.Sprintf("fields: %q is reserved", string(ks)))
		}
		switch v.(type) {
		case lua.LString, lua.LNumber, lua.LBool:
		default:
			L.ArgError(2, fmt.Sprintf("fields.%s: want a string, number or boolean, have %s", ks, describe(v)))
		}
		if keys = append(keys, string(ks)); len(keys) > maxLogFields {
			L.ArgError(2, fmt.Sprintf("fields: more than %d", maxLogFields))
		}
	}
	slices.Sort(keys)
	return keys
}

// luaPrint replaces print: the arguments, tab-separated, as an info line.
func (s *Strategy) luaPrint(L *lua.LState) int {
	var b strings.Builder
	for i := 1; i <= L.GetTop(); i++ {
		if i > 1 {
			b.WriteByte('\t')
		}
		// clipped before it is copied: print(big, big, ...) must not build
		// megabytes only to drop them
		b.WriteString(clip(L.ToStringMeta(L.Get(i)).String(), maxLogBytes-b.Len()))
		if b.Len() >= maxLogBytes {
			break
		}
	}
	if s.takeLogLine() {
		s.opt.Log.Info().Str("lua", where(L)).Msg(clip(b.String(), maxLogBytes))
	}
	return 0
}

// takeLogLine spends one of the call's log lines, counting a drop when
// none is left.
func (s *Strategy) takeLogLine() bool {
	if s.logsLeft <= 0 {
		s.dropped++
		return false
	}
	s.logsLeft--
	return true
}

// where is the calling script's "file:line".
func where(L *lua.LState) string { return strings.TrimSuffix(L.Where(1), ":") }

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
