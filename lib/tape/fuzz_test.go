package tape

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

// headOf returns the first n lines of a test data file.
func headOf(f *testing.F, path string, n int) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	var out []byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for i := 0; i < n && sc.Scan(); i++ {
		out = append(append(out, sc.Bytes()...), '\n')
	}
	return out
}

// FuzzRead: no input makes the reader panic, every record it returns is
// valid, and every error it returns is an *Error naming the file.
func FuzzRead(f *testing.F) {
	f.Add(headOf(f, "../../testdata/krx/daily/005930.csv", 4))
	f.Add(headOf(f, "../../testdata/krx/daily/035420.csv", 3))
	f.Add(headOf(f, "../../testdata/krx/daily-raw/000660.csv", 4))
	f.Add([]byte("time,symbol,price,volume,bid,ask,seq\n" +
		"2024-03-04T09:00:00.125+09:00,005930,72100,15,72000,72100,1\n" +
		"20240304090001,005930,72000,3,,,2\n"))
	f.Add([]byte("Date,Code,Open,High,Low,Close,Volume\n20240304,005930,\"1,000\",1.1e3,9.9e2,1000,0\n"))
	f.Add([]byte("date,open,high,low,close,volume\n20160104,25200.5,1,1,1,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.csv"
		r, err := NewReader(bytes.NewReader(data), name, Options{Symbol: "000660"})
		if err != nil {
			checkErr(t, name, err)
			return
		}
		for i := 0; ; i++ {
			err := next(r)
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				checkErr(t, name, err)
				return
			}
			if i > len(data) {
				t.Fatalf("%d records from %d bytes", i, len(data))
			}
		}
	})
}

// next reads one record of the reader's kind and validates it.
func next(r *Reader) error {
	if r.Kind() == Ticks {
		var tk market.Tick
		if err := r.NextTick(&tk); err != nil {
			return err
		}
		return tk.Validate()
	}
	var b market.Bar
	if err := r.NextBar(&b); err != nil {
		return err
	}
	if err := b.Validate(); err != nil {
		return err
	}
	if !b.Timeframe.Start(b.Start).Equal(b.Start) {
		return errors.New("bar start not aligned")
	}
	return nil
}

func checkErr(t *testing.T, name string, err error) {
	t.Helper()
	var te *Error
	if !errors.As(err, &te) || !strings.HasPrefix(err.Error(), name+":") {
		t.Fatalf("error %q (%T) is not an *Error naming %s", err, err, name)
	}
}
