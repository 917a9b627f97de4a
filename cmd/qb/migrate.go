package main

import (
	"context"
	"fmt"
	"text/tabwriter"
)

func migrateCmd(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlags("migrate")
	var (
		store, dataDir string
		statusOnly     bool
		lf             logFlags
	)
	fs.StringVar(&store, "store", "", "the store: a SQLite file (default DATA-DIR/qb.db) or postgres://user@host:port/db (password from PGPASSWORD)")
	fs.StringVar(&dataDir, "data-dir", "data", "folder of the default SQLite store")
	fs.BoolVar(&statusOnly, "status", false, "print the migrations and whether each is applied, without the closing line")
	lf.register(fs)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("migrate: unexpected argument %q", fs.Arg(0))}
	}
	log, err := lf.logger(m)
	if err != nil {
		return err
	}
	target := storeTarget(store, dataDir)
	// Opening a store applies what is pending, in one transaction per
	// migration, safe when several hosts start at once.
	st, err := openStore(ctx, target, log)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer st.Close()
	status, err := st.MigrationStatus(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Fprintf(m.Stdout, "store %s (%s)\n", redact(target), st.Mode())
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "version\tmigration\tstatus\tchecksum")
	pending := 0
	for _, s := range status {
		state := "applied"
		if !s.Applied {
			state, pending = "pending", pending+1
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.12s\n", s.Version, s.Name, state, s.Checksum)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if !statusOnly {
		fmt.Fprintf(m.Stdout, "%d migrations, %d pending\n", len(status), pending)
	}
	return nil
}
