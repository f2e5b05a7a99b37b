//go:build race

package site

// slowdown stretches time bounds under the race detector.
const slowdown = 10
