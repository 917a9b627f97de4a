package sqldb_test

import (
	"context"
	"testing"

	"github.com/qbtrading/qb/sqldb"
	"github.com/qbtrading/qb/sqldb/sqltest"
)

// The test servers and a store per test come from sqltest, shared with
// cmd/qb's tests; these names keep the tests short.
var (
	needService = sqltest.NeedService
	adminConn   = sqltest.AdminConn
	adminURL    = sqltest.URL
	pgTarget    = sqltest.Schema
	eachStore   = sqltest.EachStore
	open        = sqltest.Open
)

// queryInt runs a scalar query directly on the store's database.
func queryInt(t *testing.T, st sqldb.Store, query string) int64 {
	t.Helper()
	var n int64
	var err error
	switch s := st.(type) {
	case *sqldb.Postgres:
		err = s.Pool().QueryRow(context.Background(), query).Scan(&n)
	case *sqldb.SQLite:
		err = s.DB().QueryRow(query).Scan(&n)
	}
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
