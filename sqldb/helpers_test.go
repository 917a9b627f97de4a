package sqldb_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/qbtrading/qb/sqldb"
)

const defaultTestPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// needService skips the test with a clear message, or fails it when CI
// requires the services (QB_REQUIRE_SERVICES=1).
func needService(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("QB_REQUIRE_SERVICES") == "1" {
		t.Fatalf("%s (QB_REQUIRE_SERVICES=1)", msg)
	}
	t.Skipf("%s; skipping (set QB_TEST_POSTGRES to point elsewhere, QB_REQUIRE_SERVICES=1 to fail instead)", msg)
}

func adminURL() string {
	if u := os.Getenv("QB_TEST_POSTGRES"); u != "" {
		return u
	}
	return defaultTestPostgres
}

// adminConn connects to the test server for setup, skipping when it is down.
func adminConn(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL())
	if err != nil {
		needService(t, "PostgreSQL unreachable (QB_TEST_POSTGRES, default %s): %v", defaultTestPostgres, err)
	}
	return conn
}

// pgTarget creates a fresh schema for the test and returns a URL whose
// connections use it (search_path) and carry its name as application_name,
// so a test can find and kill exactly its own connections. The schema is
// dropped when the test ends.
func pgTarget(t testing.TB) (target, schema string) {
	t.Helper()
	conn := adminConn(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema = "qbt_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	conn.Close(ctx)
	t.Cleanup(func() {
		c := adminConn(t)
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(adminURL())
	if err != nil {
		t.Fatalf("QB_TEST_POSTGRES: want a postgres:// URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("application_name", schema)
	u.RawQuery = q.Encode()
	return u.String(), schema
}

// backend is one store flavour under test.
type backend struct {
	name   string
	target func(t *testing.T) string
}

var backends = []backend{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "qb.db") }},
	{"postgres", func(t *testing.T) string { u, _ := pgTarget(t); return u }},
}

// eachStore runs fn against a fresh SQLite file and a fresh PostgreSQL schema.
func eachStore(t *testing.T, fn func(t *testing.T, target string)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b.target(t)) })
	}
}

func open(t *testing.T, target string, opts sqldb.Options) sqldb.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := sqldb.Open(ctx, target, opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(st.Close)
	return st
}

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
