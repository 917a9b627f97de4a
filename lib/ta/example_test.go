package ta_test

import (
	"fmt"

	"github.com/qbtrading/qb/lib/ta"
)

// A strategy's indicator, made by name as a script asks for it and fed
// closed bars one at a time.
func ExampleNew() {
	ind, err := ta.New("bbands", []float64{3, 2}) // period 3, 2σ both sides
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range []float64{10, 11, 12, 13} {
		ind.UpdateBar(ta.Bar{Open: c, High: c, Low: c, Close: c, Volume: 1})
	}
	m := ind.(ta.Multi)
	for i, name := range m.Outputs() {
		fmt.Printf("%s %.4f\n", name, m.Output(i))
	}
	// Output:
	// upper 13.6330
	// middle 12.0000
	// lower 10.3670
}

// A bad parameter is reported by name.
func ExampleNew_badParam() {
	_, err := ta.New("macd", []float64{26, 12})
	fmt.Println(err)
	// Output: ta: macd: slow = 12: must be greater than fast (26)
}

// Values are NaN until the indicator is Ready.
func ExampleSMA() {
	sma, _ := ta.NewSMA(3)
	for _, v := range []float64{1, 2, 3, 4} {
		sma.Update(v)
		fmt.Println(sma.Ready(), sma.Value())
	}
	// Output:
	// false NaN
	// false NaN
	// true 2
	// true 3
}

// Crossover compares two series on consecutive bars.
func ExampleCrossover() {
	fast, slow := []float64{9, 10, 12}, []float64{10, 10, 10}
	for i := 1; i < len(fast); i++ {
		fmt.Println(i, ta.Crossover(fast[i-1], slow[i-1], fast[i], slow[i]))
	}
	// Output:
	// 1 false
	// 2 true
}
