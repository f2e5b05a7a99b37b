// Module actionlint builds the workflow linter used by internal/ci's tests. It is a
// separate module because actionlint v1.7.12 needs go.yaml.in/yaml/v4
// v4.0.0-rc.3, while the main module must use rc.4 (osv-scalibr).

module github.com/psf/advisory-builder/tools/actionlint

go 1.26.0

require (
	github.com/bmatcuk/doublestar/v4 v4.10.0
	github.com/clipperhouse/uax29/v2 v2.7.0
	github.com/fatih/color v1.19.0
	github.com/mattn/go-colorable v0.1.14
	github.com/mattn/go-isatty v0.0.22
	github.com/mattn/go-runewidth v0.0.23
	github.com/mattn/go-shellwords v1.0.13
	github.com/rhysd/actionlint v1.7.12
	github.com/robfig/cron/v3 v3.0.1
	github.com/yuin/goldmark v1.8.7
	go.yaml.in/yaml/v4 v4.0.0-rc.3
	golang.org/x/net v0.61.0
	golang.org/x/sync v0.24.0
	golang.org/x/sys v0.49.0
)
