package record_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/qbtrading/qb/host/record"
	"github.com/qbtrading/qb/lib/market"
)

// memStore is an in-memory Store that keeps rows in arrival order and can be
// made to block (gate) or fail (failFirst calls).
type memStore struct {
	mu        sync.Mutex
	ticks     []market.Tick
	bars      []market.Bar
	events    []record.Event
	calls     int
	failFirst int
	down      bool
	gate      chan struct{} // when non-nil, writes wait for it to close
}

var errDown = errors.New("store down")

func (m *memStore) enter(ctx context.Context) error {
	m.mu.Lock()
	gate := m.gate
	m.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if m.down || m.calls <= m.failFirst {
		return errDown
	}
	return nil
}

// WriteTicks validates like the real stores: one bad tick fails the batch
// with a *market.FieldError.
func (m *memStore) WriteTicks(ctx context.Context, ticks []market.Tick) error {
	for i := range ticks {
		if err := ticks[i].Validate(); err != nil {
			return fmt.Errorf("write ticks: tick %d: %w", i, err)
		}
	}
	if err := m.enter(ctx); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ticks = append(m.ticks, ticks...)
	return nil
}

func (m *memStore) WriteBars(ctx context.Context, bars []market.Bar) error {
	if err := m.enter(ctx); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.bars = append(m.bars, bars...)
	return nil
}

func (m *memStore) WriteEvents(ctx context.Context, events []record.Event) error {
	if err := m.enter(ctx); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events = append(m.events, events...)
	return nil
}

func (m *memStore) gotTicks() []market.Tick {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]market.Tick(nil), m.ticks...)
}

var t0 = time.Date(2026, 3, 3, 9, 0, 0, 0, market.Seoul)

func tick(i int) market.Tick {
	return market.Tick{Time: t0.Add(time.Duration(i) * time.Millisecond), Symbol: "005930",
		Price: 70000 + int64(i%100), Volume: 1, Seq: int64(i)}
}
