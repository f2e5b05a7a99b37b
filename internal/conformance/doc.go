// Package conformance holds tests only: they check the records and the bundle
// with the consumers' own code — the OSV protobuf bindings osv.dev and
// osv-scanner decode with, osv-scalibr's offline matcher (osvlocal) and its
// offline database loader — so a record a consumer would drop or mismatch
// fails here first.
package conformance
