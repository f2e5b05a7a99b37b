package publish

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/bundle/bundletest"
	"github.com/psf/advisory-builder/internal/osv"
)

func TestFirstPublish(t *testing.T) {
	remote := bareRemote(t)
	recs := db(3, "2024-06-01T00:00:00Z")
	recs[2].Vuln.Modified = "2024-06-03T04:05:06Z"
	recs[2] = bundletest.CPython(bundletest.Spec{ID: "PSF-2024-3", Modified: "2024-06-03T04:05:06Z", Aliases: []string{"CVE-2024-1002"}})
	dir := outputDir(t, recs)
	res := mustPublish(t, opts(dir, "file://"+remote))
	if res.Commit == "" || res.Commit != head(t, remote) {
		t.Fatalf("commit %q, remote head %q", res.Commit, head(t, remote))
	}
	if got := commitCount(t, remote); got != 1 {
		t.Fatalf("%d commits, want 1", got)
	}
	if !slices.Equal(res.Added, []string{"PSF-2024-1", "PSF-2024-2", "PSF-2024-3"}) {
		t.Errorf("added %v", res.Added)
	}
	gitOut(t, remote, "fsck", "--strict")
	// The pushed tree is exactly the output: same files, same bytes.
	files := gitOut(t, remote, "ls-tree", "-r", "--name-only", "main")
	if !strings.Contains(files, "advisories/python/PSF-2024-1.json") || !strings.Contains(files, "osv-scalibr/GIT/all.zip") {
		t.Errorf("tree lacks files:\n%s", files)
	}
	if got := show(t, remote, "advisories/python/PSF-2024-3.json"); got+"\n" != string(recs[2].JSON) {
		t.Errorf("published record differs from the output")
	}
	if sums := show(t, remote, "SHA256SUMS"); !strings.Contains(sums, "  index.html") {
		t.Errorf("SHA256SUMS not published:\n%s", sums)
	}
	// Identity and time are deterministic: defaults and the newest modified.
	meta := gitOut(t, remote, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%aI|%s", "main")
	want := "PSF Advisory Builder <security@python.org>|PSF Advisory Builder <security@python.org>|2024-06-03T04:05:06+00:00|Publish advisories: 3 added"
	if meta != want {
		t.Errorf("commit %q, want %q", meta, want)
	}
	body := gitOut(t, remote, "log", "-1", "--format=%B", "main")
	if !strings.Contains(body, "Added:\n  PSF-2024-1\n  PSF-2024-2\n  PSF-2024-3") {
		t.Errorf("message does not list the added IDs:\n%s", body)
	}
}

func TestRepublishIsIdempotent(t *testing.T) {
	remote := bareRemote(t)
	dir := outputDir(t, db(3, "2024-06-01T00:00:00Z"))
	mustPublish(t, opts(dir, remote)) // a plain path remote
	before := head(t, remote)
	res := mustPublish(t, opts(outputDir(t, db(3, "2024-06-01T00:00:00Z")), remote))
	if res.Commit != "" || res.Attempts != 0 || head(t, remote) != before || commitCount(t, remote) != 1 {
		t.Fatalf("republish of the same output: result %+v, head %s -> %s, %d commits", res, before, head(t, remote), commitCount(t, remote))
	}
}

func TestChangePublishesOneCommit(t *testing.T) {
	remote := bareRemote(t)
	mustPublish(t, opts(outputDir(t, db(10, "2024-06-01T00:00:00Z")), remote))
	before := head(t, remote)
	recs := db(10, "2024-06-01T00:00:00Z")
	recs[3] = bundletest.CPython(bundletest.Spec{ID: "PSF-2024-4", Modified: "2024-07-01T00:00:00Z", Aliases: []string{"CVE-2024-1003"},
		Versions: []string{"v3.12.0", "v3.12.1", "v3.12.2", "v3.12.3", "v3.12.4"}})
	recs[5] = bundletest.CPython(bundletest.Spec{ID: "PSF-2024-6", Modified: "2024-07-02T00:00:00Z", Aliases: []string{"CVE-2024-1005"},
		Withdrawn: "2024-07-02T00:00:00Z"})
	recs = append(recs, bundletest.PipRecord(bundletest.Spec{ID: "PSF-2024-11", Modified: "2024-07-03T00:00:00Z"}))
	res := mustPublish(t, opts(outputDir(t, recs), "file://"+remote))
	if commitCount(t, remote) != 2 || gitOut(t, remote, "rev-parse", "main^") != before {
		t.Fatalf("want exactly one new commit on top of %s", before)
	}
	if !slices.Equal(res.Added, []string{"PSF-2024-11"}) || !slices.Equal(res.Updated, []string{"PSF-2024-4"}) || !slices.Equal(res.Withdrawn, []string{"PSF-2024-6"}) {
		t.Errorf("result %+v", res)
	}
	body := gitOut(t, remote, "log", "-1", "--format=%B", "main")
	for _, want := range []string{"Publish advisories: 1 added, 1 updated, 1 withdrawn", "Added:\n  PSF-2024-11", "Updated:\n  PSF-2024-4", "Withdrawn:\n  PSF-2024-6", "Other files changed: "} {
		if !strings.Contains(body, want) {
			t.Errorf("message lacks %q:\n%s", want, body)
		}
	}
	if !strings.Contains(show(t, remote, "advisories/pip/PSF-2024-11.json"), `"PyPI"`) {
		t.Error("the added pip record is not published")
	}
}

// TestGuards publishes a database, then tries outputs that each break one
// guard: the push is refused and the remote keeps its head.
func TestGuards(t *testing.T) {
	const t0 = "2024-06-01T00:00:00Z"
	spec := func(i int) bundletest.Spec {
		return bundletest.Spec{ID: "PSF-2024-" + itoa(i), Modified: t0, Aliases: []string{"CVE-2024-" + itoa(999+i)}}
	}
	published := bareRemote(t)
	base := make([]*osv.Record, 10)
	for i := range base {
		base[i] = bundletest.CPython(spec(i + 1))
	}
	mustPublish(t, opts(outputDir(t, base), published))
	for _, tc := range []struct {
		name  string
		edit  func(recs []*osv.Record) []*osv.Record
		o     func(*Options)
		want  string
		allow bool // passes: the edit is fine
	}{
		{name: "deleted record", want: "PSF-2024-2) is published but missing from the output", edit: func(r []*osv.Record) []*osv.Record {
			return slices.Delete(r, 1, 2)
		}},
		{name: "modified decreases", want: "PSF-2024-3: modified goes back from 2024-06-01T00:00:00Z to 2024-05-01T00:00:00Z", edit: func(r []*osv.Record) []*osv.Record {
			s := spec(3)
			s.Modified = "2024-05-01T00:00:00Z"
			r[2] = bundletest.CPython(s)
			return r
		}},
		{name: "published changes", want: "PSF-2024-1: published changes", edit: func(r []*osv.Record) []*osv.Record {
			s := spec(1)
			s.Modified, s.Published = "2024-07-01T00:00:00Z", "2024-05-02T00:00:00Z"
			r[0] = bundletest.CPython(s)
			return r
		}},
		{name: "content changes without modified", want: "PSF-2024-1: the record changes but modified stays", edit: func(r []*osv.Record) []*osv.Record {
			s := spec(1)
			s.Summary = "a new title"
			r[0] = bundletest.CPython(s)
			return r
		}},
		{name: "duplicate alias", want: "PSF-2024-12: alias CVE-2024-1000 is also an alias of PSF-2024-1", edit: func(r []*osv.Record) []*osv.Record {
			s := spec(12)
			s.Aliases = []string{"CVE-2024-1000"}
			return append(r, bundletest.CPython(s))
		}},
		{name: "alias is an ID", want: "alias PSF-2024-1 is the id of", edit: func(r []*osv.Record) []*osv.Record {
			s := spec(12)
			s.Aliases = []string{"PSF-2024-1"}
			return append(r, bundletest.CPython(s))
		}},
		{name: "moved to another product", want: "PSF-2024-4) is published but missing", edit: func(r []*osv.Record) []*osv.Record {
			s := spec(4)
			s.Modified = "2024-07-01T00:00:00Z"
			r[3] = bundletest.PipRecord(s)
			return r
		}},
		{name: "ID reused for a different advisory", want: "advisories/python/PSF-2024-5.json: the ID PSF-2024-5 is reused for a different advisory: published at advisories/python/PSF-2024-5.json with aliases [CVE-2024-1004], the output has it at advisories/pip/PSF-2024-5.json with aliases [CVE-2023-5752]", edit: func(r []*osv.Record) []*osv.Record {
			s := spec(5)
			s.Modified, s.Aliases = "2024-07-01T00:00:00Z", []string{"CVE-2023-5752"}
			r[4] = bundletest.PipRecord(s)
			return r
		}},
		{name: "placeholder ID", want: "advisories/python/PSF-0000-cookie-parser.json: PSF-0000-cookie-parser is a placeholder ID: run advisory assign-ids", edit: func(r []*osv.Record) []*osv.Record {
			return append(r, bundletest.CPython(bundletest.Spec{ID: "PSF-0000-cookie-parser", Modified: t0}))
		}},
		{name: "malformed placeholder ID", want: "PSF-0000-X is a placeholder ID", edit: func(r []*osv.Record) []*osv.Record {
			return append(r, bundletest.CPython(bundletest.Spec{ID: "PSF-0000-X", Modified: t0}))
		}},
		{name: "dry run refused", want: "PSF-2024-2) is published but missing", o: func(o *Options) { o.DryRun = true }, edit: func(r []*osv.Record) []*osv.Record {
			return slices.Delete(r, 1, 2)
		}},
		{name: "mass change", want: "changes or withdraws 5 of 10 published records (50%, more than 25%)", edit: bumpFirst(5)},
		{name: "mass change allowed", edit: bumpFirst(5), o: func(o *Options) { o.AllowMassChange = true }, allow: true},
		{name: "mass change under a higher share", edit: bumpFirst(5), o: func(o *Options) { o.MaxChangeShare = 0.5 }, allow: true},
		{name: "few changes in a small database", edit: bumpFirst(4), allow: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			remote := copyRepo(t, published)
			recs := make([]*osv.Record, 10)
			for i := range recs {
				recs[i] = bundletest.CPython(spec(i + 1))
			}
			before := head(t, remote)
			o := opts(outputDir(t, tc.edit(recs)), remote)
			if tc.o != nil {
				tc.o(&o)
			}
			res, err := Publish(context.Background(), o)
			if tc.allow {
				if err != nil || res.Commit == "" {
					t.Fatalf("Publish = %+v, %v; want a commit", res, err)
				}
				return
			}
			var refused *RefusedError
			if !errors.As(err, &refused) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Publish error = %v, want a refusal containing %q", err, tc.want)
			}
			if head(t, remote) != before {
				t.Fatal("a refused publish moved the remote")
			}
		})
	}
}

// bumpFirst changes the first n records with a newer modified time.
func bumpFirst(n int) func([]*osv.Record) []*osv.Record {
	return func(r []*osv.Record) []*osv.Record {
		for i := range n {
			r[i] = bundletest.CPython(bundletest.Spec{ID: r[i].Vuln.ID, Modified: "2024-08-01T00:00:00Z", Aliases: r[i].Vuln.Aliases,
				Versions: []string{"v3.12.0", "v3.12.9"}})
		}
		return r
	}
}

// TestNewBranch publishes to a branch the remote does not have yet.
func TestNewBranch(t *testing.T) {
	remote := bareRemote(t)
	dir := outputDir(t, db(2, "2024-06-01T00:00:00Z"))
	mustPublish(t, opts(dir, remote))
	o := opts(dir, remote)
	o.Branch = "site"
	res := mustPublish(t, o)
	if got := gitOut(t, remote, "rev-parse", "refs/heads/site"); got != res.Commit {
		t.Fatalf("site branch at %s, want %s", got, res.Commit)
	}
	if gitOut(t, remote, "rev-parse", "site^{tree}") != gitOut(t, remote, "rev-parse", "main^{tree}") {
		t.Fatal("the new branch does not hold the output tree")
	}
}

// TestDryRun runs the guards against the published branch and pushes
// nothing, even when the output changes.
func TestDryRun(t *testing.T) {
	remote := bareRemote(t)
	mustPublish(t, opts(outputDir(t, db(2, "2024-06-01T00:00:00Z")), remote))
	before := head(t, remote)
	for _, tc := range []struct {
		name    string
		recs    []*osv.Record
		changed bool
	}{
		{"unchanged", db(2, "2024-06-01T00:00:00Z"), false},
		{"one added, two updated", db(3, "2024-07-01T00:00:00Z"), true},
	} {
		o := opts(outputDir(t, tc.recs), remote)
		o.DryRun = true
		res := mustPublish(t, o)
		if res.Commit != "" || res.Changed != tc.changed || head(t, remote) != before {
			t.Fatalf("%s: dry run = %+v (remote %s, was %s); want no commit, Changed %v", tc.name, res, head(t, remote), before, tc.changed)
		}
		if tc.changed && (len(res.Added) != 1 || len(res.Updated) != 2) {
			t.Fatalf("%s: dry run = %+v; want 1 added, 2 updated", tc.name, res)
		}
	}
}

// TestVersionChanges: the result names the versions each updated record
// gains and loses.
func TestVersionChanges(t *testing.T) {
	remote := bareRemote(t)
	mustPublish(t, opts(outputDir(t, db(2, "2024-06-01T00:00:00Z")), remote))
	recs := db(2, "2024-07-01T00:00:00Z")
	recs[1] = bundletest.CPython(bundletest.Spec{ID: "PSF-2024-2", Modified: "2024-07-01T00:00:00Z", Aliases: recs[1].Vuln.Aliases,
		Versions: []string{"v3.12.0", "v3.12.1", "v3.12.2", "v3.12.3", "v3.12.4"}})
	res := mustPublish(t, opts(outputDir(t, recs), remote))
	want := map[string]VersionChange{"PSF-2024-2": {Added: []string{"v3.12.4"}, Removed: []string{"v3.13.0rc1"}}}
	if !reflect.DeepEqual(res.Versions, want) {
		t.Fatalf("Versions = %+v, want %+v", res.Versions, want)
	}
}

// TestStoreProgress: storing a large output logs a line every storeEvery
// files, so a CI log shows the step advancing.
func TestStoreProgress(t *testing.T) {
	defer func(n int) { storeEvery = n }(storeEvery)
	storeEvery = 4
	var log bytes.Buffer
	o := opts(outputDir(t, db(3, "2024-06-01T00:00:00Z")), bareRemote(t))
	o.Log = &log
	mustPublish(t, o)
	if !strings.Contains(log.String(), "storing the output: 4 files\n") || !strings.Contains(log.String(), "storing the output: 8 files\n") {
		t.Fatalf("no store progress lines:\n%s", log.String())
	}
}
