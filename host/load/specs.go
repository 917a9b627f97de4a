package load

import (
	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/script"
)

// Specs turns compiled strategies into engine specs: each gets base's
// options, its own logger, its require folder and the --param overrides it
// declares. It also returns what each strategy declares, in the same order.
// An override that no strategy can take is an error.
func Specs(srcs []Source, params Params, base script.Options, log zerolog.Logger) ([]engine.Spec, []script.Meta, error) {
	specs := make([]engine.Spec, 0, len(srcs))
	metas := make([]script.Meta, 0, len(srcs))
	for _, src := range srcs {
		meta, err := Inspect(src)
		if err != nil {
			return nil, nil, err
		}
		opt := base
		opt.Log = log.With().Str("strategy", meta.Name).Logger()
		opt.Params = params.For(meta)
		opt.ModuleDir = src.ModuleDir
		metas = append(metas, meta)
		specs = append(specs, engine.Spec{Program: src.Program, Options: opt})
	}
	if err := params.Check(metas); err != nil {
		return nil, nil, err
	}
	return specs, metas, nil
}
