package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rs/zerolog"
	"github.com/spf13/pflag"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/sqldb"
)

// feeFlags set the commission and the listing that decides each symbol's
// market, and so its sell taxes.
type feeFlags struct {
	commission    rateFlag
	minCommission int64
	metadata      []string
}

func (f *feeFlags) register(fs *pflag.FlagSet) {
	def := krx.DefaultTariff()
	f.commission.r = def.Commission
	fs.Var(&f.commission, "commission", "broker commission on each fill, as a percentage (0.015%) or in basis points (1.5bp)")
	fs.Int64Var(&f.minCommission, "min-commission", def.MinCommission, "least commission of one fill, won")
	fs.StringArrayVar(&f.metadata, "metadata", nil, "symbol listing (CSV: "+krx.ListingHeader+
		"; or KIS kospi_code.mst/kosdaq_code.mst) over the built-in one and the store's (repeatable)")
}

// tariff is the fee model of a run: the flags' commission, the statutory
// taxes, and a listing layered from the built-in one, the store's
// stock_metadata (stored, when a store is used) and the --metadata files.
// A symbol none of them lists is taxed as KOSPI, with one warning.
func (f *feeFlags) tariff(stored []sqldb.Stock, log zerolog.Logger) (*krx.Tariff, error) {
	stocks := krx.DefaultStocks()
	stocks = append(stocks, fromStore(stored)...)
	for _, path := range f.metadata {
		more, err := readMetadata(path)
		if err != nil {
			return nil, &exitError{code: 2, msg: "--metadata: " + err.Error()}
		}
		stocks = append(stocks, more...)
	}
	t := krx.Tariff{Commission: f.commission.r, MinCommission: f.minCommission, Taxed: true,
		Listing: krx.NewListing(stocks, engine.WarnUnknownMarket(log))}
	if err := t.Validate(); err != nil {
		return nil, &exitError{code: 2, msg: err.Error()}
	}
	return &t, nil
}

// readMetadata reads a listing file: a KIS master file by its name
// (kospi_code.mst, kosdaq_code.mst), otherwise a listing CSV.
func readMetadata(path string) ([]krx.Stock, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	base := strings.ToLower(filepath.Base(path))
	switch {
	case base == "kospi_code.mst":
		return krx.ReadKISMaster(fh, path, krx.KOSPI)
	case base == "kosdaq_code.mst":
		return krx.ReadKISMaster(fh, path, krx.KOSDAQ)
	case strings.HasSuffix(base, ".mst"):
		return nil, fmt.Errorf("%s: a KIS master file must be named kospi_code.mst or kosdaq_code.mst (its layout depends on the market)", path)
	}
	return krx.ReadListing(fh, path)
}

// fromStore converts stock_metadata rows; a market qb does not know stays
// unknown, so the listing warns about it once and taxes it as KOSPI.
func fromStore(rows []sqldb.Stock) []krx.Stock {
	out := make([]krx.Stock, 0, len(rows))
	for _, r := range rows {
		m, _ := krx.ParseMarket(r.Market)
		out = append(out, krx.Stock{Symbol: r.Code, Name: r.Name, Market: m, Sector: r.Sector, Listed: r.Listed})
	}
	return out
}

// importMetadata stores a listing file's stocks in stock_metadata,
// replacing the rows of the symbols it lists.
func importMetadata(ctx context.Context, st sqldb.Store, path string) (int, error) {
	stocks, err := readMetadata(path)
	if err != nil {
		return 0, err
	}
	for i, s := range stocks {
		row := sqldb.Stock{Code: s.Symbol, Name: s.Name, Market: s.Market.String(), Sector: s.Sector, Listed: s.Listed}
		if err := st.SaveStock(ctx, row); err != nil {
			return i, err
		}
	}
	return len(stocks), nil
}

// rateFlag is a krx.Rate written as 0.015% or 1.5bp.
type rateFlag struct{ r krx.Rate }

func (f *rateFlag) String() string { return f.r.String() }
func (f *rateFlag) Type() string   { return "rate" }
func (f *rateFlag) Set(s string) error {
	r, err := krx.ParseRate(s)
	if err != nil {
		return err
	}
	f.r = r
	return nil
}

// tariff builds the run's fee model with the store's listing, if any.
func (s *storage) tariff(ctx context.Context, f feeFlags, log zerolog.Logger) (*krx.Tariff, error) {
	var stored []sqldb.Stock
	if s.st != nil {
		var err error
		if stored, err = s.st.Stocks(ctx); err != nil {
			return nil, fmt.Errorf("run: %w", err)
		}
	}
	return f.tariff(stored, log)
}
