package sim_test

import (
	"fmt"

	"github.com/qbtrading/qb/lib/sim"
)

// A seeded simulation gives the same ticks every time: here the first three
// of seed 1 over the default instruments, from 09:00 KST on 5 January 2026.
func ExampleSim_Next() {
	s, err := sim.New(sim.Config{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 3 {
		t := s.Next()
		fmt.Println(t.Time.Format("15:04:05"), t.Symbol, t.Price, t.Bid, t.Ask, t.Volume)
	}
	// Output:
	// 09:00:00 005380 263000 262500 263000 4
	// 09:00:01 000660 572000 572000 573000 12
	// 09:00:02 035720 61200 61100 61200 43
}
