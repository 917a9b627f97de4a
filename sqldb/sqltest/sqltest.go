// Package sqltest gives tests a store of their own on the real servers: a
// fresh PostgreSQL schema (dropped when the test ends) or a fresh SQLite
// file. A test that cannot reach PostgreSQL is skipped with a clear message,
// or fails when QB_REQUIRE_SERVICES=1, as CI sets it.
package sqltest

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

// DefaultURL is the local trust-auth server the tests use unless
// QB_TEST_POSTGRES names another.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// URL is the test server: QB_TEST_POSTGRES or DefaultURL.
func URL() string {
	if u := os.Getenv("QB_TEST_POSTGRES"); u != "" {
		return u
	}
	return DefaultURL
}

// NeedService skips the test with msg, or fails it when CI requires the
// services (QB_REQUIRE_SERVICES=1).
func NeedService(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("QB_REQUIRE_SERVICES") == "1" {
		t.Fatalf("%s (QB_REQUIRE_SERVICES=1)", msg)
	}
	t.Skipf("%s; skipping (set QB_TEST_POSTGRES to point elsewhere, QB_REQUIRE_SERVICES=1 to fail instead)", msg)
}

// AdminConn connects to the test server for setup.
func AdminConn(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, URL())
	if err != nil {
		NeedService(t, "PostgreSQL unreachable (QB_TEST_POSTGRES, default %s): %v", DefaultURL, err)
	}
	return conn
}

// Schema creates a fresh schema for the test and returns a URL whose
// connections use it (search_path) and carry its name as application_name,
// so a test can find and kill exactly its own connections. The schema is
// dropped when the test ends.
func Schema(t testing.TB) (target, schema string) {
	t.Helper()
	conn := AdminConn(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema = "qbt_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	conn.Close(ctx)
	t.Cleanup(func() {
		c := AdminConn(t)
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(URL())
	if err != nil {
		t.Fatalf("QB_TEST_POSTGRES: want a postgres:// URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("application_name", schema)
	u.RawQuery = q.Encode()
	return u.String(), schema
}

// EachStore runs fn against a fresh SQLite file and a fresh PostgreSQL
// schema, as subtests named sqlite and postgres.
func EachStore(t *testing.T, fn func(t *testing.T, target string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "qb.db")) })
	t.Run("postgres", func(t *testing.T) {
		target, _ := Schema(t)
		fn(t, target)
	})
}

// Open opens target as qb does and closes it when the test ends.
func Open(t testing.TB, target string, opts sqldb.Options) sqldb.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := sqldb.Open(ctx, target, opts)
	if err != nil {
		t.Fatalf("open %s: %v", target, err)
	}
	t.Cleanup(st.Close)
	return st
}
