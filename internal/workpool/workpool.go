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

// Ordered calls work(i) for every i in [0, n) on up to workers goroutines
// and hands each result to emit, on the calling goroutine, in order of i:
// the results stream out as they are made, and no more than a few per
// worker wait for their turn, so memory is bounded by the workers, not by
// n. It stops at the first error in order of i (work's or emit's) and
// returns it, so the outcome does not depend on scheduling.
func Ordered[T any](n, workers int, work func(i int) (T, error), emit func(i int, v T) error) error {
	workers = min(max(workers, 1), max(n, 1))
	window := 4 * workers
	type slot struct {
		v    T
		err  error
		done chan struct{} // one token once v and err are set
	}
	ring := make([]slot, window)
	free := make(chan struct{}, window) // a token per slot the emitter is done with
	for k := range ring {
		ring[k].done = make(chan struct{}, 1)
		free <- struct{}{}
	}
	jobs := make(chan int)
	stop := make(chan struct{})
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case <-free:
			case <-stop:
				return
			}
			select {
			case jobs <- i:
			case <-stop:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				s := &ring[i%window]
				s.v, s.err = work(i)
				s.done <- struct{}{}
			}
		})
	}
	var err error
	for i := range n {
		s := &ring[i%window]
		<-s.done
		if err = s.err; err == nil {
			err = emit(i, s.v)
		}
		var zero T
		s.v = zero
		if err != nil {
			break
		}
		free <- struct{}{}
	}
	close(stop)
	wg.Wait()
	return err
}
