// Package schema embeds the project's JSON Schemas so that commands and
// tests use the same bytes as editors and CI.
package schema

import _ "embed"

// Advisory is the JSON Schema (draft 2020-12) of the YAML advisory source
// format (advisories/<product>/<ID>.yaml), used by editors through the
// yaml-language-server modeline at the top of each file.
//
//go:embed advisory.schema.json
var Advisory []byte

// OSV is this project's JSON Schema (draft 2020-12) of an OSV 1.7.5 record,
// written from the OSV specification; internal/osv validates every built
// record against it. docs/osv-schema.md describes it.
//
//go:embed osv-1.7.5.json
var OSV []byte
