package main

import (
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/pflag"
)

// logFlags are the logging flags every command has.
type logFlags struct {
	format string
	level  string
}

func (l *logFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&l.format, "log-format", "auto", "log format: auto (console on a terminal, else json), console or json")
	fs.StringVar(&l.level, "log-level", "info", "log level: debug, info, warn or error")
}

// logger builds the process logger. Nothing in qb uses a global logger: this
// one is passed down to every component.
func (l *logFlags) logger(m *Main) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(l.level)
	if err != nil || l.level == "" {
		return zerolog.Nop(), &exitError{code: 2, msg: fmt.Sprintf("--log-level %q: want debug, info, warn or error", l.level)}
	}
	var w io.Writer = m.Stderr
	switch l.format {
	case "json":
	case "console":
		w = zerolog.ConsoleWriter{Out: m.Stderr, TimeFormat: time.TimeOnly, NoColor: !m.Terminal}
	case "auto":
		if m.Terminal {
			w = zerolog.ConsoleWriter{Out: m.Stderr, TimeFormat: time.TimeOnly}
		}
	default:
		return zerolog.Nop(), &exitError{code: 2, msg: fmt.Sprintf("--log-format %q: want auto, console or json", l.format)}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
}
