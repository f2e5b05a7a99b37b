package advisory

import (
	"cmp"
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
)

// benchSources are the sources the benchmarks read: those of the database
// at $BUILD_BENCH_ROOT (a gendb output, say) when it is set, else the
// shipped database's.
func benchSources(b *testing.B) (paths []string, data [][]byte) {
	root := cmp.Or(os.Getenv("BUILD_BENCH_ROOT"), filepath.Join("..", ".."))
	paths, err := filepath.Glob(filepath.Join(root, "advisories", "*", "*.yaml"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("no sources under %s: %v", root, err)
	}
	for _, p := range paths {
		d, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d)
	}
	return paths, data
}

// BenchmarkParseDocument parses every source (benchSources) into its node tree,
// with quickParse (a reused parser, as Decode's pool gives it; yaml.v3 for
// the files it leaves) and with yaml.v3 alone (what loading did before).
//
//	go test ./internal/advisory -run XXX -bench ParseDocument
//	BUILD_BENCH_ROOT=/tmp/l1k go test ./internal/advisory -run XXX -bench ParseDocument
func BenchmarkParseDocument(b *testing.B) {
	_, docs := benchSources(b)
	b.Run("quick", func(b *testing.B) {
		p := new(quickParser)
		for b.Loop() {
			for _, d := range docs {
				if _, ok := p.parse(d); !ok {
					if _, err := generalParse(d); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	})
	b.Run("yaml.v3", func(b *testing.B) {
		for b.Loop() {
			for _, d := range docs {
				if _, err := generalParse(d); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkParse decodes every source (benchSources) as loading does (Parse: the
// text rules, the strict decoder with positions, the shape), against the
// strongest plain alternative: yaml.Unmarshal into the same model, which
// checks nothing and records no position.
//
//	go test ./internal/advisory -run XXX -bench 'Parse$'
func BenchmarkParse(b *testing.B) {
	paths, docs := benchSources(b)
	b.Run("Parse", func(b *testing.B) {
		for b.Loop() {
			for i, d := range docs {
				Parse(paths[i], filepath.Base(filepath.Dir(paths[i])), d)
			}
		}
	})
	b.Run("yaml.Unmarshal", func(b *testing.B) {
		for b.Loop() {
			for _, d := range docs {
				var a Advisory
				if err := yaml.Unmarshal(d, &a); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
