package krx

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/korean"

	"github.com/qbtrading/qb/lib/market"
)

func TestReadListing(t *testing.T) {
	in := "\ufeffsymbol,name,market,sector,listed\n" +
		"# comment\n" +
		"005930,Samsung Electronics,KOSPI,Electrical & Electronics,1975-06-11\n" +
		"293490,\"Kakao Games, Corp.\",kosdaq,,\n"
	got, err := ReadListing(strings.NewReader(in), "m.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []Stock{
		{Symbol: "005930", Name: "Samsung Electronics", Market: KOSPI, Sector: "Electrical & Electronics", Listed: kst(1975, 6, 11, 0, 0, 0, 0)},
		{Symbol: "293490", Name: "Kakao Games, Corp.", Market: KOSDAQ},
	}
	if len(got) != 2 || got[1] != want[1] || got[0].Name != want[0].Name || !got[0].Listed.Equal(want[0].Listed) || got[0].Market != KOSPI {
		t.Fatalf("ReadListing = %+v\nwant %+v", got, want)
	}
}

// Bad rows are errors naming the file, the line and the field.
func TestReadListingErrors(t *testing.T) {
	const h = ListingHeader + "\n"
	for _, tc := range []struct{ name, in, want string }{
		{"empty file", "", "m.csv: empty"},
		{"wrong header", "code,name,market\n", `m.csv:1: header "code,name,market"`},
		{"bad symbol", h + "005930,A,KOSPI,,\n5930,B,KOSPI,,\n", `m.csv:3: symbol: symbol "5930"`},
		{"no name", h + "005930, ,KOSPI,,\n", "m.csv:2: name: empty"},
		{"bad market", h + "005930,A,NASDAQ,,\n", `m.csv:2: market: "NASDAQ": want KOSPI, KOSDAQ or KONEX`},
		{"bad date", h + "005930,A,KOSPI,,1975/06/11\n", `m.csv:2: listed: "1975/06/11": want YYYY-MM-DD`},
		{"short row", h + "005930,A,KOSPI\n", "m.csv:2: record: 3 fields, want 5"},
		{"duplicate", h + "005930,A,KOSPI,,\n\n005930,B,KOSPI,,\n", "m.csv:4: symbol: 005930 already listed on line 2"},
		{"bad quoting", h + "005930,\"A,KOSPI,,\n", "m.csv:2:"},
	} {
		_, err := ReadListing(strings.NewReader(tc.in), "m.csv")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

// Market reports each unknown symbol once, however often it is asked.
func TestListingUnknownOnce(t *testing.T) {
	var reported []market.Symbol
	l := NewListing([]Stock{{Symbol: "293490", Name: "Kakao Games", Market: KOSDAQ}}, func(s market.Symbol) {
		reported = append(reported, s)
	})
	for range 3 {
		if l.Market("293490") != KOSDAQ || l.Market("0000J0") != KOSPI || l.Market("000001") != KOSPI {
			t.Fatal("wrong market")
		}
	}
	if !slices.Equal(reported, []market.Symbol{"0000J0", "000001"}) {
		t.Fatalf("reported %v, want each unknown symbol once", reported)
	}
	var none *Listing
	if none.Market("005930") != KOSPI || none.Len() != 0 {
		t.Fatal("nil listing: want KOSPI for every symbol")
	}
}

// The built-in listing names every symbol of the test data and the
// simulator, and testdata/krx/metadata.csv is the same file.
func TestDefaultStocks(t *testing.T) {
	l := NewListing(DefaultStocks(), nil)
	for _, sym := range []market.Symbol{"005930", "000660", "035420", "005380", "035720", "051910"} {
		if s, ok := l.Lookup(sym); !ok || s.Market != KOSPI || s.Name == "" || s.Listed.IsZero() {
			t.Errorf("%s: %+v, %v; want a KOSPI stock with a name and listing date", sym, s, ok)
		}
	}
	shipped, err := os.ReadFile("../../testdata/krx/metadata.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shipped, defaultListing) {
		t.Fatal("testdata/krx/metadata.csv differs from lib/krx/listing.csv: keep them the same")
	}
}

// masterRecord builds one line of a KIS master file: the fixed head, the
// cp949 name and a tail of the market's length with the listing date at
// its offset.
func masterRecord(t *testing.T, m Market, code, isin, name, listed string) []byte {
	t.Helper()
	lay := masterLayouts[m]
	kname, err := korean.EUCKR.NewEncoder().Bytes([]byte(name))
	if err != nil {
		t.Fatal(err)
	}
	tail := bytes.Repeat([]byte("0"), lay.tail)
	copy(tail, "ST")
	copy(tail[lay.listed:], listed)
	rec := append([]byte(pad(code, 9)+pad(isin, 12)), kname...)
	rec = append(rec, "   "...) // the name field's padding
	return append(rec, tail...)
}

func pad(s string, n int) string { return s + strings.Repeat(" ", n-len(s)) }

func TestReadKISMaster(t *testing.T) {
	var kospi bytes.Buffer
	kospi.Write(masterRecord(t, KOSPI, "005930", "KR7005930003", "삼성전자", "19750611"))
	kospi.WriteString("\r\n")
	kospi.Write(masterRecord(t, KOSPI, "Q500001", "KRG500000011", "신한 인버스 ETN", "20141117")) // not a six-character code: skipped
	kospi.WriteString("\n")
	got, err := ReadKISMaster(&kospi, "kospi_code.mst", KOSPI)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Symbol != "005930" || got[0].Name != "삼성전자" || got[0].Market != KOSPI ||
		!got[0].Listed.Equal(kst(1975, 6, 11, 0, 0, 0, 0)) {
		t.Fatalf("KOSPI master = %+v", got)
	}
	kosdaq := masterRecord(t, KOSDAQ, "293490", "KR7293490005", "카카오게임즈", "20200910")
	got, err = ReadKISMaster(bytes.NewReader(kosdaq), "kosdaq_code.mst", KOSDAQ)
	if err != nil || len(got) != 1 || got[0].Name != "카카오게임즈" || got[0].Market != KOSDAQ || got[0].Listed.Year() != 2020 {
		t.Fatalf("KOSDAQ master = %+v, %v", got, err)
	}
	for _, tc := range []struct {
		name string
		in   []byte
		m    Market
		want string
	}{
		{"short record", []byte("005930   KR7005930003삼성\n"), KOSPI, "k.mst:1: record:"},
		{"bad date", masterRecord(t, KOSPI, "005930", "KR7005930003", "삼성전자", "1975061X"), KOSPI, `k.mst:1: listed: "1975061X"`},
		{"KONEX layout unknown", kosdaq, KONEX, "market KONEX: want KOSPI or KOSDAQ"},
	} {
		_, err := ReadKISMaster(bytes.NewReader(tc.in), "k.mst", tc.m)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}
