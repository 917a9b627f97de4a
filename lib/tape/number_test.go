package tape

import "testing"

func TestParseWhole(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  string
	}{
		{"25200", 25200, ""},
		{"25200.0", 25200, ""},
		{"15346950.000", 15346950, ""},
		{" 7 ", 7, ""},
		{"0", 0, ""},
		{"-3", -3, ""},
		{"+3", 3, ""},
		{"182,299", 182299, ""},
		{"4,671,451", 4671451, ""},
		{"1,000.00", 1000, ""},
		{"1.5e7", 15000000, ""},
		{"2.52E4", 25200, ""},
		{"9223372036854775807", 9223372036854775807, ""},
		{"", 0, "empty"},
		{"  ", 0, "empty"},
		{"25200.5", 0, `"25200.5" is not a whole number`},
		{"1.5e-1", 0, `"1.5e-1" is not a whole number`},
		{"1e300", 0, `"1e300" is too large to be exact`},
		{"9223372036854775808", 0, `"9223372036854775808" is not a number`},
		{"abc", 0, `"abc" is not a number`},
		{"12a", 0, `"12a" is not a number`},
		{".5", 0, `".5" is not a number`},
		{"5.", 5, ""},
		{"1.2.3", 0, `"1.2.3" is not a number`},
		{"-", 0, `"-" is not a number`},
		{"1,23", 0, `"1,23" is not a number`},
		{"1234,567", 0, `"1234,567" is not a number`},
		{",123", 0, `",123" is not a number`},
		{"1,2345", 0, `"1,2345" is not a number`},
		{"1,234,56", 0, `"1,234,56" is not a number`},
		{"1,,234", 0, `"1,,234" is not a number`},
		{"123,", 0, `"123," is not a number`},
		{"NaN", 0, `"NaN" is not a number`},
		{"1e", 0, `"1e" is not a number`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseWhole(tc.in)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("parseWhole(%q) = %d, %v; want error %q", tc.in, got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("parseWhole(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
			}
		})
	}
}
