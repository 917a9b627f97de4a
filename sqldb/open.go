package sqldb

import (
	"context"
	"strings"
)

// Open picks the store from target, the value of `--store`: a postgres:// or
// postgresql:// URL opens PostgreSQL; anything else is a SQLite file path.
// Both apply pending migrations before returning.
func Open(ctx context.Context, target string, opts Options) (Store, error) {
	if strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://") {
		return OpenPostgres(ctx, target, opts)
	}
	return OpenSQLite(ctx, target, opts)
}
