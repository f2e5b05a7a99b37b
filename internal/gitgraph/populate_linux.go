package gitgraph

import "syscall"

// mapPopulate has the kernel set up every page of a mapping at once: the
// cache files are read whole (their checksum) or nearly so, and one call
// costs less than a page fault per 64 KB read, expensive on virtual
// machines (mapping and checksumming the 4.8 MB graph of CPython's history
// took 1.3 ms at best, 0.5 ms populated; docs/benchmarks.md).
const mapPopulate = syscall.MAP_POPULATE
