package osvimport

import (
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lint"
	"github.com/psf/advisory-builder/internal/product"
)

// runLinted is Run with lint's rules as the check, as the command runs it.
func runLinted(opts Options, cfg product.Config) ([]string, error) {
	return Run(withLint(opts, cfg), cfg)
}

// withLint sets lint's rules as the check.
func withLint(opts Options, cfg product.Config) Options {
	lintOpts := lint.Options{Now: time.Now().UTC(), Products: cfg}
	opts.Check = func(a *advisory.Advisory) diag.List { return lint.Advisory(a, lintOpts) }
	return opts
}
