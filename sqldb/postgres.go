package sqldb

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres is the PostgreSQL store (TimescaleDB when the extension is available).
// Its methods are safe for concurrent use.
type Postgres struct {
	pool *pgxpool.Pool
	opts Options
	mode Mode
}

var _ Store = (*Postgres)(nil)

// OpenPostgres connects to url (a postgres:// URL or key=value DSN), applies
// pending migrations and, unless opts.NoTimescale, sets up TimescaleDB when the
// extension can be created. Several hosts may open the same database at once.
func OpenPostgres(ctx context.Context, url string, opts Options) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err) // pgx redacts the password
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, pgStaging)
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	s := &Postgres{pool: pool, opts: opts, mode: ModePostgres}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Mode reports timescaledb or postgres.
func (s *Postgres) Mode() Mode { return s.mode }

// Close closes every connection of the pool.
func (s *Postgres) Close() { s.pool.Close() }

// Pool exposes the connection pool for tools (e.g. `qb import` bulk paths)
// and tests.
func (s *Postgres) Pool() *pgxpool.Pool { return s.pool }
