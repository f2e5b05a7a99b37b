package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

func TestLines(t *testing.T) {
	for _, tc := range []struct {
		name   string
		writes []string
		want   string
	}{
		{"graph load", []string{"\rloading commit graph: 20000 commits", "\rloading commit graph: 40000 commits", "\rloading commit graph: 41234 commits, done\n"},
			"loading commit graph: 20000 commits\nloading commit graph: 40000 commits\nloading commit graph: 41234 commits, done\n"},
		{"percentages every 10%", []string{"Counting objects:   1% (1/100)\r", "Counting objects:   5% (5/100)\r", "Counting objects:  10% (10/100)\r",
			"Counting objects:  19% (19/100)\r", "Counting objects:  20% (20/100)\r", "Counting objects: 100% (100/100), done.\n"},
			"Counting objects:   1% (1/100)\nCounting objects:  10% (10/100)\nCounting objects:  20% (20/100)\nCounting objects: 100% (100/100), done.\n"},
		{"split writes", []string{"fetch", "ing main\n", "pushed"},
			"fetching main\n"},
		{"CRLF", []string{"one\r\ntwo\r\n"}, "one\ntwo\n"},
		{"indentation kept", []string{"refused:\n  PSF-2024-1: x\n"}, "refused:\n  PSF-2024-1: x\n"},
		{"blank updates dropped", []string{"\r\r\n  \r"}, ""},
		{"labels counted apart", []string{"a: 50% \r", "b: 50% \r", "a: 55% \r"}, "a: 50%\nb: 50%\n"},
	} {
		var b bytes.Buffer
		w := Lines(&b)
		for _, s := range tc.writes {
			if n, err := w.Write([]byte(s)); err != nil || n != len(s) {
				t.Fatalf("%s: Write = %d, %v", tc.name, n, err)
			}
		}
		if b.String() != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, b.String(), tc.want)
		}
	}
}

func TestCounter(t *testing.T) {
	var b bytes.Buffer
	c := NewCounter(&b, "converting", 25)
	var wg sync.WaitGroup
	for range 25 {
		wg.Go(func() { c.Add(1) })
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 10 || lines[0] != "converting: 10% (3 of 25)" || lines[9] != "converting: 100% (25 of 25)" {
		t.Fatalf("counter lines:\n%s", b.String())
	}
	var nilCounter *Counter
	nilCounter.Add(1) // silent, no panic
	if NewCounter(nil, "x", 5) != nil || NewCounter(&b, "x", 0) != nil {
		t.Fatal("NewCounter without a writer or a total must be silent")
	}
}
