// Package script runs trading strategies written in Lua, each in its own
// sandboxed gopher-lua state, under a time budget and a failure count.
//
// A strategy file returns a table (name, symbols, timeframe, params and the
// hooks on_start, on_tick, on_bar, on_fill, on_order, on_stop). Compile
// parses and compiles a file once; New builds a Strategy from the compiled
// Program: a private LState with only the base, table, string and math
// libraries (minus everything that reaches the file system, the process or
// other states), the ctx table bound to a Host, and a watchdog that aborts a
// hook that runs longer than its budget.
//
// Threading: a Strategy is used by one goroutine (the engine's loop). Only
// its watchdog runs beside it, and it touches nothing but an atomic clock
// and the state's context.
//
// # Sandbox
//
//   - Removed: load, loadstring, dofile, loadfile, getfenv, setfenv,
//     collectgarbage, rawget, rawset, rawequal, rawlen, module, _printregs,
//     newproxy, string.dump, math.randomseed; os, io, debug, package,
//     coroutine and channel are never opened. require is our own and loads
//     only Lua files under Options.ModuleDir.
//   - Lua patterns backtrack without bound inside one Go call, which the
//     time budget cannot interrupt, so string.match, gmatch, gfind and gsub
//     raise an error saying so, and string.find searches plain text only
//     (a pattern without magic characters, or plain=true).
//   - Every builtin whose cost grows with its arguments is bounded so one
//     Go call stays short (the budget cannot interrupt one): string.rep
//     builds at most 1 MiB; string.format, table.concat, upper, lower and
//     reverse at most 16 MiB; format widths and precisions have at most
//     two digits, and format names tables instead of letting Go's fmt
//     print their structure; unpack and string.byte return at most 8000
//     values; table.sort sorts at most 2^16 elements (bounds.go); and one
//     `..` instruction joins at most 8 values (concat.go).
//   - math.random draws from a per-strategy generator seeded from
//     Options.Seed (or the program's hash), so replays repeat exactly.
//   - print and ctx.log go to Options.Log, at most 100 lines per hook call;
//     the rest are counted in one warning.
//   - Nothing is shared between strategies' states: each has its own
//     globals, libraries, string metatable and ctx.
//
// # Memory
//
// gopher-lua has no memory limit per state, so the watchdog watches the
// process's allocations (runtime/metrics) while a hook runs, every 5 ms,
// and aborts a call that allocates more than Options.CallMemory; and
// after calls, at least once a second or after a quarter of Options.Memory
// of allocations, the strategy walks what its state holds (globals, hook
// upvalues, ctx, modules; each table's storage as gopher-lua keeps it) to
// estimate what it retains. Either over budget stops
// the strategy (KindMemory). HardenProcessWith sets a Go memory limit
// under the process's cap.
//
// # Failures
//
// A runtime error or a timeout aborts the hook and is returned as an *Error
// with the script's file and line; the host goes on. Failures are counted;
// a successful call resets the count, and at Options.MaxFailures the
// strategy pauses (stops), as it does after MaxFailures timeouts within
// 1000 calls: the failing call returns KindPaused, Status
// says why (Cause: the limit; Reason and Last: the hook and file:line),
// Wants reports false and every hook is a no-op. A memory failure stops
// the strategy at once. Only a new Strategy (a reload, or the engine's
// Restart) runs it again.
//
// After a timeout the LState cannot run again (its context is cancelled)
// and may be half-updated, so it is discarded and rebuilt from the compiled
// program: the file's top level runs again, so Lua globals and module-level
// locals start afresh. If Start had been called, on_start then runs again
// with the state Start was given — the same thing a hot reload does — so a
// strategy that sets itself up in on_start keeps working. Positions, cash
// and orders live in the engine and are untouched; a strategy must not
// assume on_start runs only once per position (it already must not, given
// reloads). If the rebuild fails the strategy pauses.
//
// The watchdog judges a call by wall time and by the process's CPU time: a
// call past its budget whose thread the OS did not run (a loaded machine)
// is given up to four budgets before it is aborted.
//
// # Hooks and ctx
//
// Hook arguments are one table per hook, reused and overwritten on every
// call; a script copies the fields it keeps. Fills and order updates that
// the engine reports while a hook is running (a rejection from inside
// ctx.buy) are delivered after that hook returns.
//
// ctx functions check their arguments and raise an error naming the bad one
// (misuse); operational failures, such as a risk rejection, return
// nil, "reason". Symbols must be among the strategy's own; quantities are
// whole numbers in 1..1e9, prices whole won in 0..1e10 (0 or none is a
// market order); indicator parameters are numbers in 0..10000.
package script

import (
	"fmt"
	"math"
	"runtime/debug"

	lua "github.com/yuin/gopher-lua"
)

// hardenedMaxArrayIndex is the largest integer key gopher-lua stores in a
// table's array part once HardenProcess has run.
const hardenedMaxArrayIndex = 1 << 16

// DefaultMemoryCap is the process memory cap HardenProcess assumes.
const DefaultMemoryCap = 2 << 30

// ProcessLimits are the process-wide settings a binary makes once.
type ProcessLimits struct {
	// MemoryCap is the memory, in bytes, the process must stay under
	// (default DefaultMemoryCap, 2 GiB; negative: no Go memory limit is
	// set). HardenProcessWith sets the Go runtime's soft memory limit to
	// 90% of it, so the garbage collector works harder as the heap nears
	// the cap instead of letting it pass. A GOMEMLIMIT lower than that is
	// kept.
	MemoryCap int64
}

// HardenProcess is HardenProcessWith with the default limits.
func HardenProcess() { _ = HardenProcessWith(ProcessLimits{}) }

// HardenProcessWith makes the process-wide settings a strategy host needs
// before any Strategy exists; cmd/qb calls it once at start.
//
// It lowers gopher-lua's lua.MaxArrayIndex from 2^26 to 2^16. Why: an
// assignment t[n] = v with an integer n below MaxArrayIndex grows the
// table's array part to n slots in one VM instruction, so t[67108000] =
// true allocates about 1 GiB and runs for seconds without the time budget
// being able to stop it. With the lower limit such keys go to the hash
// part and cost nothing.
//
// It sets the Go memory limit below l.MemoryCap (see ProcessLimits):
// gopher-lua cannot limit a state's memory, so the per-strategy budgets
// (Options.Memory) are enforced by watching allocations, a few
// milliseconds late; the soft limit makes the collector reclaim garbage
// before the cap rather than after.
//
// Why here and not in New: both are process state, shared by every Lua
// state and goroutine. Changing MaxArrayIndex while a state runs would be
// a data race, and a library must not mutate process state behind its
// caller's back. New logs a warning when this has not been called.
func HardenProcessWith(l ProcessLimits) error {
	if l.MemoryCap == 0 {
		l.MemoryCap = DefaultMemoryCap
	}
	if l.MemoryCap > 0 && l.MemoryCap < 64<<20 {
		return fmt.Errorf("script: memory cap of %d bytes is below the 64 MiB a host needs", l.MemoryCap)
	}
	lua.MaxArrayIndex = hardenedMaxArrayIndex
	if l.MemoryCap > 0 {
		soft := l.MemoryCap / 10 * 9
		if cur := debug.SetMemoryLimit(-1); cur < soft && cur != math.MaxInt64 {
			soft = cur
		}
		debug.SetMemoryLimit(soft)
	}
	return nil
}

// hardened reports whether HardenProcess has run.
func hardened() bool { return lua.MaxArrayIndex <= hardenedMaxArrayIndex }
