package sqldb

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The lock is per schema so that databases holding several qb schemas (tests,
// staging) migrate independently; hosts sharing one schema queue up.
const pgLockKey = `hashtext('qb.migrate.' || current_schema())`

const pgMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    integer     PRIMARY KEY,
	name       text        NOT NULL,
	checksum   text        NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// migrate applies pending migrations under a session advisory lock held on one
// connection, then sets up TimescaleDB under the same lock.
func (s *Postgres) migrate(ctx context.Context) (err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: acquire connection: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(`+pgLockKey+`)`); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() {
		// Unlock even if ctx is done; a connection that cannot unlock must not
		// go back to the pool still holding the lock.
		uctx := context.WithoutCancel(ctx)
		if _, uerr := conn.Exec(uctx, `SELECT pg_advisory_unlock(`+pgLockKey+`)`); uerr != nil {
			_ = conn.Conn().Close(uctx)
		}
	}()
	if err := applyPostgres(ctx, conn); err != nil {
		return err
	}
	return s.setupTimescale(ctx, conn.Conn())
}

func applyPostgres(ctx context.Context, conn *pgxpool.Conn) error {
	all, err := Migrations("postgres")
	if err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, pgMigrationsTable); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	applied, err := pgApplied(ctx, conn.Conn())
	if err != nil {
		return err
	}
	todo, err := checkApplied(all, applied)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range todo {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`,
				m.Version, m.Name, m.Checksum)
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate: apply %s: %w", m.Name, err)
		}
	}
	return nil
}

func pgApplied(ctx context.Context, conn *pgx.Conn) (map[int]string, error) {
	rows, err := conn.Query(ctx, `SELECT version, checksum FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	applied := map[int]string{}
	var v int
	var sum string
	_, err = pgx.ForEachRow(rows, []any{&v, &sum}, func() error { applied[v] = sum; return nil })
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	return applied, nil
}

// MigrationStatus lists every embedded migration and whether it is applied.
func (s *Postgres) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	all, err := Migrations("postgres")
	if err != nil {
		return nil, err
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	defer conn.Release()
	applied, err := pgApplied(ctx, conn.Conn())
	if err != nil {
		return nil, err
	}
	return statusOf(all, applied), nil
}

func statusOf(all []Migration, applied map[int]string) []MigrationStatus {
	out := make([]MigrationStatus, len(all))
	for i, m := range all {
		_, ok := applied[m.Version]
		out[i] = MigrationStatus{Migration: m, Applied: ok}
	}
	return out
}
