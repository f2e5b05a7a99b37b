//go:build !linux

package gitgraph

// mapPopulate is Linux's MAP_POPULATE; elsewhere pages are faulted in as
// they are read.
const mapPopulate = 0
