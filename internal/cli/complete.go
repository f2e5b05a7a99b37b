package cli

import (
	"github.com/spf13/cobra"

	"github.com/psf/advisory-builder/internal/completion"
)

// Shell completion (cobra's `advisory completion bash|zsh|fish|powershell`)
// of advisory IDs, products, release branches and formats, read from the
// database that --root names.

// idCommands take advisory IDs as arguments.
var idCommands = map[string]bool{"cve": true, "email": true, "ghsa": true, "resolve": true}

// formats are the values of each command's --format.
var formats = map[string][]string{
	"lint":     {"text", "github", "json"},
	"resolve":  {"text", "github", "json"},
	"publish":  {"text", "github"}, // pipeline publish
	"validate": {"text", "github"}, // pipeline validate
}

// addCompletions registers the completions on every command under root.
func addCompletions(root *cobra.Command) {
	for _, c := range root.Commands() {
		addCompletions(c)
		name := c.Name()
		if idCommands[name] && c.ValidArgsFunction == nil {
			c.ValidArgsFunction = completeIDs
		}
		if name == "check" {
			c.ValidArgsFunction = completeReleases
		}
		if c.Flags().Lookup("product") != nil {
			c.RegisterFlagCompletionFunc("product", func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
				return completion.Products(rootOf(cmd)), cobra.ShellCompDirectiveNoFileComp
			})
		}
		if fs, ok := formats[name]; ok && c.Flags().Lookup("format") != nil {
			c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(fs, cobra.ShellCompDirectiveNoFileComp))
		}
	}
}

func rootOf(cmd *cobra.Command) string {
	r, _ := cmd.Flags().GetString("root")
	return completion.Root(r)
}

// completeIDs completes advisory IDs.
func completeIDs(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	if cmd.Name() != "resolve" && len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return completion.IDs(rootOf(cmd), prefix), cobra.ShellCompDirectiveNoFileComp
}

// completeReleases completes check's VERSION from the release branches
// ("3.12." then the user types the patch number).
func completeReleases(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	p, _ := cmd.Flags().GetString("product")
	return completion.Branches(rootOf(cmd), p), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}
