package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/sim"
	"github.com/qbtrading/qb/lib/tape"
)

// kisServerCmd runs lib/kis/kistest as a process: a KIS protocol server on
// 127.0.0.1 with a paper account, streaming trades from a CSV file (ticks,
// or bars turned into four prints each) or from the simulator, so that
// qb run --feed kis --broker kis-paper can be tried without an account.
func kisServerCmd(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlags("kis-server")
	var (
		data, restAddr, wsAddr string
		pace                   durationFlag
		cash                   int64
		seed                   uint64
	)
	fs.StringVar(&data, "data", "", "CSV of ticks or bars to stream (see docs/data-format.md); empty streams the simulator")
	fs.StringVar(&restAddr, "rest-addr", "127.0.0.1:29443", "REST listen address")
	fs.StringVar(&wsAddr, "ws-addr", "127.0.0.1:31000", "WebSocket listen address")
	pace.d = time.Second
	fs.Var(&pace, "pace", "wall time between two trades; each is stamped with the time it is sent")
	fs.Int64Var(&cash, "cash", 100_000_000, "the paper account's starting cash, won")
	fs.Uint64Var(&seed, "seed", 1, "simulator seed (without --data)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	next, err := tradeSource(data, seed)
	if err != nil {
		return err
	}
	ticks := make(chan market.Tick)
	go stream(ctx, next, pace.d, ticks)
	opt := kistest.Options{Cash: cash, RESTAddr: restAddr, WSAddr: wsAddr}
	if err := kistest.Serve(ctx, opt, ticks, func(s *kistest.Server) { printServer(m.Stdout, s) }); err != nil {
		return fmt.Errorf("kis-server: %w", err)
	}
	return nil
}

// tradeSource returns the trades to stream: the file's, once, or the
// simulator's, without end.
func tradeSource(data string, seed uint64) (func() (market.Tick, bool), error) {
	if data == "" {
		s, err := sim.New(sim.Config{Seed: seed})
		if err != nil {
			return nil, fmt.Errorf("kis-server: %w", err)
		}
		return func() (market.Tick, bool) { return s.Next(), true }, nil
	}
	ticks, err := readTrades(data)
	if err != nil {
		return nil, err
	}
	i := 0
	return func() (market.Tick, bool) {
		if i == len(ticks) {
			return market.Tick{}, false
		}
		i++
		return ticks[i-1], true
	}, nil
}

// readTrades reads a tick file, or a bar file as scripted trades.
func readTrades(path string) ([]market.Tick, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("kis-server: %w", err)
	}
	var opt tape.Options
	opt.Symbol, _ = tape.SymbolFromPath(path) // only needed without a symbol column
	r, err := tape.NewReader(bytes.NewReader(raw), path, opt)
	if err != nil {
		return nil, fmt.Errorf("kis-server: %w", err)
	}
	if r.Kind() == tape.Ticks {
		return tape.ReadTicks(bytes.NewReader(raw), path, opt)
	}
	bars, err := tape.ReadBars(bytes.NewReader(raw), path, opt)
	if err != nil {
		return nil, err
	}
	return kistest.TicksFromBars(bars)
}

// stream sends a trade every pace, stamped with the wall clock (a strategy
// on the other side lives in real time), until the source ends or ctx does.
func stream(ctx context.Context, next func() (market.Tick, bool), pace time.Duration, out chan<- market.Tick) {
	t := time.NewTicker(pace)
	defer t.Stop()
	for {
		tk, ok := next()
		if !ok {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		tk.Time = time.Now()
		select {
		case out <- tk:
		case <-ctx.Done():
			return
		}
	}
}

// printServer tells the user where the server listens and what to set.
// The credentials are the server's fixed, obviously fake ones.
func printServer(w io.Writer, s *kistest.Server) {
	o := s.Options()
	fmt.Fprintf(w, "KIS protocol server (%s account, cash %d won)\n  REST       %s\n  WebSocket  %s\n\n", o.Env, o.Cash, s.URL(), s.WSURL())
	fmt.Fprintln(w, "In the shell that runs qb:")
	fmt.Fprintf(w, "  export %s=paper %s=%s %s=%s\n", kis.EnvEnv, kis.EnvBaseURL, s.URL(), kis.EnvWSURL, s.WSURL())
	fmt.Fprintf(w, "  export %s=%s %s=%s\n", kis.EnvAppKey, o.AppKey, kis.EnvAppSecret, o.AppSecret)
	fmt.Fprintf(w, "  export %s=%s %s=%s\n", kis.EnvAccount, o.Account, kis.EnvHTSID, o.HTSID)
	fmt.Fprintln(w, "  qb run --feed kis --broker kis-paper")
	fmt.Fprintln(w, "\nCtrl-C stops the server.")
}
