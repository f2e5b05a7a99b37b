// Package startup keeps the garbage collector off while the program's
// packages initialise. Every command links every package, and their
// initialisation (the JSON Schema library's meta-schemas, the Markdown and
// HTML sanitiser tables, about 25 ms) allocates about 5 MB, most of it kept:
// collecting during it ran three or four cycles that freed little, a
// quarter of the CPU of a warm `advisory versions` (docs/benchmarks.md,
// "process start"). The CLI calls Done from its own package initialisation, which follows that
// of every package it imports.
//
// Nothing else belongs here: the package imports only the runtime, so that
// it is initialised before the heavy packages.
package startup

import "runtime/debug"

// gcPercent is the setting GOGC gave (100 by default, -1 for off).
var gcPercent = debug.SetGCPercent(-1)

// Done turns the garbage collector back on with the setting GOGC gave; it
// may be called more than once.
func Done() { debug.SetGCPercent(gcPercent) }
