package cli

import (
	"io"
	"os"

	"github.com/psf/advisory-builder/internal/gitgraph"
)

// graphOptions are the gitgraph options of a command: the cache (unless
// --no-cache), and progress on standard error when it is a terminal.
func graphOptions(noCache bool, stderr io.Writer) gitgraph.Options {
	opts := gitgraph.Options{NoCache: noCache}
	if f, ok := stderr.(*os.File); ok && isTerminal(f) {
		opts.Progress = f
	}
	return opts
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// openGraph loads a repository's graph; errors are I/O errors (exit 2).
func openGraph(repo string, noCache bool, stderr io.Writer) (*gitgraph.Graph, error) {
	if repo == "" {
		return nil, usage("--repo is required: the product's git repository (bare or not; a full clone or a --filter=tree:0 one)")
	}
	g, err := gitgraph.Open(repo, graphOptions(noCache, stderr))
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	return g, nil
}
