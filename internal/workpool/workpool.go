// Package workpool runs independent pieces of work on a few goroutines and
// keeps results in input order, so parallel work stays deterministic.
package workpool

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// IOWorkers is a worker count for work that mostly waits on the file system.
const IOWorkers = 8

// CPUWorkers is a worker count for work that mostly computes.
func CPUWorkers() int { return runtime.GOMAXPROCS(0) }

// Each calls f(i) for every i in [0, n) on up to workers goroutines and
// returns the error of the lowest i that failed, so the outcome does not
// depend on scheduling.
func Each(n, workers int, f func(i int) error) error {
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(max(workers, 1), max(n, 1)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				errs[i] = f(i)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
