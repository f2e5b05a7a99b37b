package build

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/bundle"
	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
)

// TestBuiltRecordsConform is the guarantee convert rests on when it skips
// the schema validator: every record of the shipped database and of a
// generated one is one osv.Conforms vouches for (so a build takes the fast
// way), and its bytes pass ValidateStrict (so the vouching is right).
func TestBuiltRecordsConform(t *testing.T) {
	generated := filepath.Join(t.TempDir(), "db")
	if err := bundletest.WriteDatabase(generated, 300, mustRead(t, productsFile)); err != nil {
		t.Fatal(err)
	}
	for name, root := range map[string]string{"shipped": filepath.Dir(filepath.Dir(productsFile)), "generated": generated} {
		t.Run(name, func(t *testing.T) {
			// The shipped database is this repository, whose history is
			// newer than the fixed test time: judge it at the real time.
			recs, _, err := Records(root, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) == 0 {
				t.Fatal("no records")
			}
			for _, r := range recs {
				if !osv.Conforms(r.Vuln) {
					t.Errorf("%s: osv.Conforms does not vouch for it: the build validates it the slow way", r.Vuln.ID)
				}
				if err := osv.ValidateStrict(r.JSON); err != nil {
					t.Errorf("%s: %v", r.Vuln.ID, err)
				}
			}
		})
	}
}

// FuzzConvertConforms converts advisories whose fields are fuzzed strings,
// loaded or not (no loader or lint stands between them and the converter):
// whatever record osv.Conforms vouches for passes ValidateStrict.
//
//	go test ./internal/build -run '^$' -fuzz FuzzConvertConforms -fuzztime 60s
func FuzzConvertConforms(f *testing.F) {
	cfg, err := product.Parse("products.yaml", mustRead(f, productsFile))
	if err != nil {
		f.Fatal(err)
	}
	const commit = "22adf29da8d99933ffed8647d3e0726edd16f7f8"
	f.Add(false, "PSF-2024-5", "2024-06-17T15:05:58Z", "", "CVE-2024-4032", "Title", "0", commit, "3.12",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N", "FIX", "https://github.com/python/cpython/pull/1", "FINDER")
	f.Add(true, "PSF-0000-x", "2024-06-17T15:05:58.5Z", "2024-07-01T00:00:00Z", "GHSA-aaaa-bbbb-cccc", "t", commit, "", "main",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "REPORT", "http://example.org", "")
	f.Fuzz(func(t *testing.T, pip bool, id, published, withdrawn, alias, title, introduced, fixed, branch, cvss, refType, refURL, creditType string) {
		a := &advisory.Advisory{
			ID: id, Published: published, Withdrawn: withdrawn, Aliases: []string{alias}, Title: title,
			Description: title, Introduced: introduced, Severity: "high",
			Branches:   []advisory.Branch{{Branch: branch, Fixed: fixed}},
			References: []advisory.Reference{{Type: refType, URL: refURL}},
			Credits:    []advisory.Credit{{Name: title, Type: creditType}},
		}
		if len(cvss) > 6 && cvss[:6] == "CVSS:3" {
			a.CVSSV3 = cvss
		} else {
			a.CVSS = cvss
		}
		name := "python"
		if pip {
			name = "pip"
		}
		a.Product = name
		v := osv.Convert(a, cfg[name], verdict.Of(a, nil), Modified(a, now))
		if !osv.Conforms(v) {
			return
		}
		data, err := osv.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := osv.ValidateStrict(data); err != nil {
			t.Fatalf("Conforms vouches for an invalid record: %v\n%s", err, data)
		}
	})
}

// TestBuildSumsRead: the SHA256SUMS a build writes from the sums recorded
// as its files were written is the one made by reading every file back.
func TestBuildSumsRead(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	if err := bundletest.WriteDatabase(db, 60, mustRead(t, productsFile)); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Run(Options{Root: db, Out: out, Now: now}); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(out)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	written, err := root.ReadFile(bundle.SumsFile)
	if err != nil {
		t.Fatal(err)
	}
	read, err := bundle.Sums(root)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(written, read) {
		t.Fatalf("SHA256SUMS written:\n%s\nread back:\n%s", written, read)
	}
}

// BenchmarkValidateRecords validates the records of a generated database
// of 2,000 advisories the way a build did (encode, then ValidateStrict
// decodes and walks the schema) and the way it does (osv.Conforms on the
// typed record), in the same run.
//
//	go test ./internal/build -run '^$' -bench ValidateRecords
func BenchmarkValidateRecords(b *testing.B) {
	db := filepath.Join(b.TempDir(), "db")
	if err := bundletest.WriteDatabase(db, 2000, mustRead(b, productsFile)); err != nil {
		b.Fatal(err)
	}
	recs, _, _, err := Judgeable(db, now)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("marshal+ValidateStrict", func(b *testing.B) {
		for b.Loop() {
			for _, r := range recs {
				data, err := osv.Marshal(r.Vuln)
				if err == nil {
					err = osv.ValidateStrict(data)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
	})
	b.Run("Conforms", func(b *testing.B) {
		for b.Loop() {
			for _, r := range recs {
				if !osv.Conforms(r.Vuln) {
					b.Fatalf("%s does not conform", r.Vuln.ID)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
	})
}
