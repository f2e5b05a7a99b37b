package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/psf/advisory-builder/internal/site"
	"github.com/psf/advisory-builder/internal/transfer"
	"github.com/spf13/cobra"
)

func init() { register(newServeCmd) }

func newServeCmd() *cobra.Command {
	var addr, dir string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the built site for local preview",
		Long: `Serve the site that advisory build wrote into --dir over HTTP, for a local
preview: files as they are, index.html for a directory, 404.html for anything
missing; text compressed with gzip when the browser accepts it, and
Cache-Control: no-cache (a browser keeps a copy and revalidates it, so a
rebuild shows at once). The version checker needs HTTP (browsers refuse to load its index
from file://). It is a preview server; publish the directory with a real one.
Stop it with Ctrl-C.`,
		Example: `  advisory build && advisory serve
  advisory serve --dir /tmp/public --addr 127.0.0.1:9000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			h, err := site.Handler(dir)
			if err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return &ExitError{Code: ExitUsage, Err: fmt.Errorf("--addr %s: %w", addr, err)}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			srv := &http.Server{Handler: transfer.Wrap(h), ReadHeaderTimeout: 10 * time.Second}
			go func() {
				<-ctx.Done()
				sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_ = srv.Shutdown(sctx)
			}()
			fmt.Fprintf(cmd.OutOrStdout(), "serving %s at http://%s/ (Ctrl-C to stop)\n", dir, ln.Addr())
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8000", "address to listen on (host:port)")
	cmd.Flags().StringVar(&dir, "dir", "public", "directory advisory build wrote")
	return cmd
}
