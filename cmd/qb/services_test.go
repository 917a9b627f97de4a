package main

import (
	"testing"

	"github.com/qbtrading/qb/sqldb"
	"github.com/qbtrading/qb/sqldb/sqltest"
)

// The test servers and a store per test come from sqltest, shared with
// sqldb's tests.
var (
	testPostgres = sqltest.URL
	needService  = sqltest.NeedService
	adminConn    = sqltest.AdminConn
	eachStore    = sqltest.EachStore
)

const defaultTestPostgres = sqltest.DefaultURL

// pgTarget is a --store URL on a fresh schema of the test's own.
func pgTarget(t testing.TB) string {
	target, _ := sqltest.Schema(t)
	return target
}

// openTestStore opens target directly, as a user's SQL client would.
func openTestStore(t *testing.T, target string) sqldb.Store {
	return sqltest.Open(t, target, sqldb.Options{})
}
