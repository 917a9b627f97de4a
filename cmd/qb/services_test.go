package main

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

// The test PostgreSQL server, as in sqldb's tests: QB_TEST_POSTGRES or the
// local trust-auth server.
const defaultTestPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

func testPostgres() string {
	if u := os.Getenv("QB_TEST_POSTGRES"); u != "" {
		return u
	}
	return defaultTestPostgres
}

// needService skips with a clear message, or fails when CI requires the
// services (QB_REQUIRE_SERVICES=1).
func needService(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("QB_REQUIRE_SERVICES") == "1" {
		t.Fatalf("%s (QB_REQUIRE_SERVICES=1)", msg)
	}
	t.Skipf("%s; skipping (set QB_TEST_POSTGRES to point elsewhere, QB_REQUIRE_SERVICES=1 to fail instead)", msg)
}

func adminConn(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, testPostgres())
	if err != nil {
		needService(t, "PostgreSQL unreachable (QB_TEST_POSTGRES, default %s): %v", defaultTestPostgres, err)
	}
	return conn
}

// pgTarget creates a schema of its own for the test and returns a --store
// URL whose connections use it; the schema is dropped at the end.
func pgTarget(t testing.TB) string {
	t.Helper()
	conn := adminConn(t)
	ctx := context.Background()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "qbcmd_" + hex.EncodeToString(b)
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
	u, err := url.Parse(testPostgres())
	if err != nil {
		t.Fatalf("QB_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// eachStore runs fn against a fresh SQLite file and a fresh PostgreSQL schema.
func eachStore(t *testing.T, fn func(t *testing.T, target string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "qb.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, pgTarget(t)) })
}

// openTestStore opens target directly, as a user's SQL client would.
func openTestStore(t *testing.T, target string) sqldb.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := sqldb.Open(ctx, target, sqldb.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", target, err)
	}
	t.Cleanup(st.Close)
	return st
}
