package cli

import (
	"io"
	"os"

	"github.com/psf/advisory-builder/internal/gitgraph"
	"github.com/psf/advisory-builder/internal/progress"
	"github.com/psf/advisory-builder/internal/startup"
)

// graphOptions are the gitgraph options of a command: the cache (unless
// --no-cache), and progress on standard error: redrawn in place on a
// terminal, whole lines in a log.
func graphOptions(noCache bool, stderr io.Writer) gitgraph.Options {
	// Only versions opens graphs (resolve goes through resolve.Product),
	// and it leaves the collector off until there is work the cache does
	// not serve (see collectorLater).
	opts := gitgraph.Options{NoCache: noCache, Computing: startup.Done}
	if isTerminal(stderr) {
		opts.Progress = stderr
	} else {
		opts.Progress = progress.Lines(stderr)
	}
	return opts
}

// logProgress is where a command writes line-based progress: standard
// error when it is not a terminal (CI logs), else nothing (the terminal
// keeps its in-place progress only).
func logProgress(stderr io.Writer) io.Writer {
	if isTerminal(stderr) {
		return nil
	}
	return stderr
}

// logLines is standard error for a command's progress: as it is on a
// terminal, with carriage-return updates made lines in a log.
func logLines(stderr io.Writer) io.Writer {
	if isTerminal(stderr) {
		return stderr
	}
	return progress.Lines(stderr)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
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
