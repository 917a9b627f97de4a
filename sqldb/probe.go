package sqldb

import (
	"context"
	"errors"
	"fmt"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// CheckWritable runs a write transaction that changes nothing (an UPDATE
// of no rows of schema_migrations, committed), so a store that can be read
// but not written (a read-only file, a read-only mount, a standby or
// read-only PostgreSQL) is found at open rather than at the first order.
// A host that must record what it does calls it after Open.
func CheckWritable(ctx context.Context, st Store) error {
	switch s := st.(type) {
	case *SQLite:
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("write probe: %w", err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `UPDATE schema_migrations SET version = version WHERE 0`); err != nil {
			return fmt.Errorf("write probe: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("write probe: %w", err)
		}
	case *Postgres:
		tx, err := s.pool.Begin(ctx)
		if err != nil {
			return fmt.Errorf("write probe: %w", err)
		}
		defer tx.Rollback(ctx)
		if _, err := tx.Exec(ctx, `UPDATE schema_migrations SET version = version WHERE false`); err != nil {
			return fmt.Errorf("write probe: %w", err)
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("write probe: %w", err)
		}
	}
	return nil
}

// IsFull reports whether err means the store has no room left: the disk
// is full (ENOSPC, or a quota), SQLite says "database or disk is full"
// (SQLITE_FULL) or PostgreSQL disk_full (SQLSTATE 53100).
func IsFull(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL {
		return true
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "53100"
}
