package script

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"

	"github.com/qbtrading/qb/lib/market"
	lua "github.com/yuin/gopher-lua"
)

// Strategy is one running instance of a Program: its own LState, ctx and
// watchdog. It is used by one goroutine; see the package doc.
type Strategy struct {
	prog *Program
	host Host
	opt  Options
	meta Meta
	wd   *watchdog
	rng  *rand.Rand

	L        *lua.LState
	hooks    [numHooks]*lua.LFunction
	ctx      *lua.LTable
	args     argTables
	loaded   map[string]lua.LValue // require results of the current LState
	loading  map[string]bool       // modules being loaded, to catch cycles
	modules  map[string]*lua.FunctionProto
	scratch  scratch
	sizer    *sizer         // the retained-memory estimate's walk, reused
	inCall   bool           // a hook (or the chunk) is running
	pending  []pendingEvent // fills and order updates that arrived meanwhile
	logsLeft int            // log lines the current call may still write
	dropped  int            // log lines the current call dropped

	started    bool
	startState State // what Start was given, for a restart after a timeout
	failures   int
	calls      int64   // hook calls begun, to date timeouts
	timeouts   []int64 // calls at which the last MaxFailures timeouts happened
	paused     bool
	cause      ErrorKind // the kind of failure that paused it
	reason     string    // why it paused
	last       *Error
	closed     bool

	checkpoint    State // the last table ctx.save was given
	checkpointNew bool  // ctx.save ran since TakeCheckpoint
}

// Meta describes a strategy as its script declares it.
type Meta struct {
	Name      string
	Symbols   []market.Symbol
	Timeframe market.Timeframe
	Params    []Param // sorted by name, overrides applied
}

// Param is one script parameter.
type Param struct {
	Name    string
	Type    string // "number", "boolean" or "string"
	Default any    // float64, bool or string, from the script
	Value   any    // Default or the override
}

// New builds a sandboxed Strategy from p, runs the file's top level under
// the time budget, and checks the table it returns against the strategy
// contract. Errors are *Error of kind KindLoad, KindTimeout or KindContract.
//
// h may be nil to build a strategy only to read its Meta (qb check): the
// top level cannot reach ctx, and a hook that calls a ctx function then
// fails with "no host".
func New(p *Program, h Host, opt Options) (*Strategy, error) {
	if p == nil {
		return nil, errors.New("script: New needs a compiled program")
	}
	if h == nil {
		h = noHost{}
	}
	opt = opt.withDefaults()
	seed := opt.Seed
	if seed == 0 {
		seed = binary.LittleEndian.Uint64(p.Hash[:8])
	}
	s := &Strategy{
		prog:    p,
		host:    h,
		opt:     opt,
		rng:     rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		modules: map[string]*lua.FunctionProto{},
		wd:      newWatchdog(opt.Budget, opt.CallMemory, opt.Memory/4),
	}
	if !hardened() {
		opt.Log.Warn().Msg("script: HardenProcess was not called; a script can allocate gigabytes in one instruction")
	}
	if err := s.build(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// build creates a fresh LState, runs the chunk and binds hooks, ctx and
// argument tables. On a rebuild the contract must still hold.
func (s *Strategy) build() *Error {
	if s.L != nil {
		s.L.Close()
	}
	s.L = s.newSandbox()
	s.L.SetContext(s.wd.arm())
	s.loaded, s.loading = map[string]lua.LValue{}, map[string]bool{}
	tbl, err := s.runChunk()
	if err != nil {
		return err
	}
	meta, hooks, err := checkContract(s.prog.File, s.prog.lines, tbl, s.opt.Params)
	if err != nil {
		return err
	}
	s.meta, s.hooks = meta, hooks
	s.ctx = s.newCtx()
	s.args = newArgTables(s.L, meta)
	return nil
}

// runChunk runs the file's top level and returns the table it returns.
func (s *Strategy) runChunk() (*lua.LTable, *Error) {
	fn := s.L.NewFunctionFromProto(s.prog.proto)
	s.beginCall()
	err := s.L.CallByParam(lua.P{Fn: fn, NRet: 1, Protect: true})
	if fired := s.endCall("load"); fired != 0 {
		return nil, s.firedError("", err, fired)
	}
	if err != nil {
		return nil, runtimeError(s.prog.File, "", KindLoad, err)
	}
	ret := s.L.Get(-1)
	s.L.Pop(1)
	tbl, ok := ret.(*lua.LTable)
	if !ok {
		return nil, contractError(s.prog.File, 0, "the script must return a table (the strategy), not %s", ret.Type())
	}
	return tbl, nil
}

// Meta returns what the script declared, with parameter overrides applied.
func (s *Strategy) Meta() Meta {
	m := s.meta
	m.Symbols = append([]market.Symbol(nil), m.Symbols...)
	m.Params = append([]Param(nil), m.Params...)
	return m
}

// Wants reports whether the script defines hook h and the strategy is not
// paused; the engine skips calls it does not want, so an undefined hook
// costs nothing.
func (s *Strategy) Wants(h Hook) bool {
	return h >= 0 && h < numHooks && s.hooks[h] != nil && !s.paused && !s.closed
}

// Close releases the LState and stops the watchdog. The Strategy must not
// be used afterwards; Close is idempotent.
func (s *Strategy) Close() {
	if s.closed {
		return
	}
	s.closed = true
	s.wd.close()
	if s.L != nil {
		s.L.Close()
		s.L = nil
	}
}
