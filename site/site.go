// Package site holds the templates and static assets of the advisory
// database's web site. They are embedded so the advisory binary carries them;
// internal/site renders the pages from them.
package site

import "embed"

// FS holds templates/*.html (html/template sources) and assets/* (CSS, JS,
// icon), copied as they are into the output's assets/ directory.
//
//go:embed templates/*.html assets/*
var FS embed.FS
