package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// SQLite is the embedded store: one file, WAL mode, safe for concurrent use
// (and for several processes, which queue on SQLite's write lock).
type SQLite struct {
	db   *sql.DB
	opts Options
}

var _ Store = (*SQLite)(nil)

// sqlitePragmas apply to every connection. WAL lets readers run beside the
// writer; synchronous=FULL makes a commit durable before it returns, which the
// synchronous order path relies on; _txlock=immediate takes the write lock at
// BEGIN so two writers queue on busy_timeout instead of failing to upgrade.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
	"&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_txlock=immediate"

// OpenSQLite opens (creating if needed) the database file at path and applies
// pending migrations.
func OpenSQLite(ctx context.Context, path string, opts Options) (*SQLite, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + sqlitePragmas
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	s := &SQLite{db: db, opts: opts}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return s, nil
}

// Mode reports sqlite.
func (s *SQLite) Mode() Mode { return ModeSQLite }

// Close closes the database.
func (s *SQLite) Close() { s.db.Close() }

// DB exposes the database handle for tools and tests.
func (s *SQLite) DB() *sql.DB { return s.db }

const sqliteMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL,
	checksum   TEXT    NOT NULL,
	applied_at INTEGER NOT NULL
)`

// migrate applies every pending migration in one BEGIN IMMEDIATE transaction:
// a second process starting at the same time waits for the write lock, then
// finds the migrations recorded and does nothing.
func (s *SQLite) migrate(ctx context.Context) error {
	all, err := Migrations("sqlite")
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, sqliteMigrationsTable); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	applied, err := sqliteApplied(ctx, tx)
	if err != nil {
		return err
	}
	todo, err := checkApplied(all, applied)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range todo {
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migrate: apply %s: %w", m.Name, err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, checksum, applied_at)
			VALUES (?, ?, ?, CAST(unixepoch('subsec') * 1000000 AS INTEGER))`, m.Version, m.Name, m.Checksum)
		if err != nil {
			return fmt.Errorf("migrate: record %s: %w", m.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func sqliteApplied(ctx context.Context, q querier) (map[int]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT version, checksum FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[int]string{}
	for rows.Next() {
		var v int
		var sum string
		if err := rows.Scan(&v, &sum); err != nil {
			return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
		}
		applied[v] = sum
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	return applied, nil
}

// MigrationStatus lists every embedded migration and whether it is applied.
func (s *SQLite) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	all, err := Migrations("sqlite")
	if err != nil {
		return nil, err
	}
	applied, err := sqliteApplied(ctx, s.db)
	if err != nil {
		return nil, err
	}
	return statusOf(all, applied), nil
}
