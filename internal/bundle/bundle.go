// Package bundle writes the osv.dev-compatible output tree of a build: the
// records under advisories/<product>/, the per-ecosystem and root zip
// archives and modified_id.csv indexes (whose lines name records kept under
// advisories/<product>/, not <ECOSYSTEM>/<ID>.json as in osv.dev's export
// bucket), the REST indexes, the offline database layout osv-scanner and osv-scalibr read,
// and SHA256SUMS over every file.
//
// Every file is a pure function of the records: entries and lines are
// sorted, zip entries carry a fixed time, and nothing reads the clock.
package bundle

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"time"

	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/workpool"

	"github.com/psf/advisory-builder/internal/osv"
)

// Names of the files and directories of the output tree, relative to its root.
const (
	AdvisoriesDir  = "advisories"      // advisories/<product>/<ID>.json
	AllZip         = "all.zip"         // root and <ECOSYSTEM>/all.zip
	ModifiedCSV    = "modified_id.csv" // root and <ECOSYSTEM>/modified_id.csv
	EcosystemsFile = "ecosystems.txt"
	RESTDir        = "rest"        // rest/<product>.json: JSON array of {"id","modified"}
	OfflineDir     = "osv-scalibr" // osv-scalibr/<ECOSYSTEM>/all.zip
	SumsFile       = "SHA256SUMS"
)

const (
	dirPerm  = 0o755
	filePerm = 0o644
)

// entry is one record as the bundle sees it.
type entry struct {
	id        string
	product   string
	ecosystem string
	modified  time.Time
	rec       *osv.Record
}

// Write writes the bundle of recs inside root. recs may come in any order;
// every output is sorted. It fails, naming the record, on a record without
// an OSV record or JSON, an ID, product or ecosystem that is not a plain file
// name, a `modified` that is not RFC 3339, or an ID used twice.
//
// The records stream through: each is encoded (when the build released its
// bytes), written, compressed and added to the archives in ID order by the
// worker pool, so only a few records' bytes exist at once.
func Write(root *os.Root, recs []*osv.Record) error {
	return WriteHashed(root, recs, nil)
}

// WriteHashed is Write, recording in hashes the sums of the records'
// files as it writes them (for WriteSumsKnown).
func WriteHashed(root *os.Root, recs []*osv.Record, hashes *Hashes) error {
	entries, err := collect(recs)
	if err != nil {
		return err
	}
	byEco := groupByEcosystem(entries)
	ecos := sortedKeys(byEco)
	archives, err := createArchives(root, ecos)
	if err != nil {
		return err
	}
	err = writeRecords(root, entries, hashes, func(e entry, z zipEntry) error {
		if err := archives.all.add(z); err != nil {
			return err
		}
		return archives.byEco[e.ecosystem].add(z)
	})
	if cerr := archives.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	for _, eco := range ecos {
		if err := writeEcosystem(root, eco, byEco[eco]); err != nil {
			return err
		}
	}
	if err := root.WriteFile(ModifiedCSV, modifiedCSV(entries, true), filePerm); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if err := root.WriteFile(EcosystemsFile, ecosystemsTxt(ecos), filePerm); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return writeREST(root, entries)
}

// archives are the zip archives being written: all.zip and each
// ecosystem's <ECOSYSTEM>/all.zip.
type archives struct {
	all   *zipFile
	byEco map[string]*zipFile
}

func createArchives(root *os.Root, ecos []string) (*archives, error) {
	a := &archives{byEco: map[string]*zipFile{}}
	var err error
	if a.all, err = createZip(root, AllZip); err != nil {
		return nil, err
	}
	for _, eco := range ecos {
		if err := root.MkdirAll(eco, dirPerm); err != nil {
			a.close()
			return nil, fmt.Errorf("bundle: %w", err)
		}
		if a.byEco[eco], err = createZip(root, path.Join(eco, AllZip)); err != nil {
			a.close()
			return nil, err
		}
	}
	return a, nil
}

// close finishes every archive; the first error is returned.
func (a *archives) close() error {
	var first error
	for _, z := range append([]*zipFile{a.all}, mapValues(a.byEco)...) {
		if z == nil {
			continue
		}
		if err := z.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func mapValues(m map[string]*zipFile) []*zipFile {
	out := make([]*zipFile, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

// collect checks every record and returns the entries sorted by ID.
func collect(recs []*osv.Record) ([]entry, error) {
	entries := make([]entry, 0, len(recs))
	seen := make(map[string]string, len(recs))
	for i, r := range recs {
		e, err := toEntry(r)
		if err != nil {
			return nil, fmt.Errorf("bundle: record %d: %w", i, err)
		}
		if prev, dup := seen[e.id]; dup {
			return nil, fmt.Errorf("bundle: ID %s is used twice (products %s and %s): IDs must be unique across the database", e.id, prev, e.product)
		}
		seen[e.id] = e.product
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].id < entries[j].id })
	return entries, nil
}

func toEntry(r *osv.Record) (entry, error) {
	if r == nil || r.Vuln == nil || r.Product == nil {
		return entry{}, errors.New("record has no OSV record or product: build must set Record.Vuln and Record.Product")
	}
	id := r.Vuln.ID
	if !rule.IsSafeName(id) {
		return entry{}, fmt.Errorf("id %q is not a plain file name (letters, digits, '.', '_', '-')", id)
	}
	eco := r.Product.Ecosystem()
	for _, c := range [][2]string{{"product", r.Product.Name}, {"ecosystem", eco}} {
		if !rule.IsSafeName(c[1]) {
			return entry{}, fmt.Errorf("%s: %s %q is not a plain directory name", id, c[0], c[1])
		}
	}
	mod, err := time.Parse(time.RFC3339Nano, r.Vuln.Modified)
	if err != nil {
		return entry{}, fmt.Errorf("%s: modified %q is not an RFC 3339 time: %v", id, r.Vuln.Modified, err)
	}
	return entry{id: id, product: r.Product.Name, ecosystem: eco, modified: mod.UTC(), rec: r}, nil
}

// writeRecords writes advisories/<product>/<ID>.json, the exact record
// bytes, compresses each record once for every archive and hands it to add
// in ID order. Each record's text is held only while its file is written,
// hashed and compressed. Files are written by several goroutines: creating
// many small files is bound by file-system latency, not CPU.
func writeRecords(root *os.Root, entries []entry, hashes *Hashes, add func(entry, zipEntry) error) error {
	dirs := newDirCache(root)
	defer dirs.close()
	targets := make([]*os.Root, len(entries))
	for i, e := range entries {
		d, err := dirs.get(path.Join(AdvisoriesDir, e.product))
		if err != nil {
			return err
		}
		targets[i] = d
	}
	return workpool.Ordered(len(entries), ioWorkers, func(i int) (zipEntry, error) {
		data, err := recordJSON(entries[i].rec)
		if err != nil {
			return zipEntry{}, fmt.Errorf("bundle: %s: %w", entries[i].id, err)
		}
		name := entries[i].id + ".json"
		if err := targets[i].WriteFile(name, data, filePerm); err != nil {
			return zipEntry{}, fmt.Errorf("bundle: %w", err)
		}
		hashes.Add(path.Join(AdvisoriesDir, entries[i].product, name), data)
		return deflate(name, data), nil
	}, func(i int, z zipEntry) error { return add(entries[i], z) })
}

// recordJSON is the record's bytes: those the build validated, or the same
// encoding made again when the build released them.
func recordJSON(r *osv.Record) ([]byte, error) {
	if len(r.JSON) > 0 {
		return r.JSON, nil
	}
	return osv.Marshal(r.Vuln)
}

// ioWorkers is how many files are written or hashed at once (a variable
// so the benchmarks can compare worker counts).
var ioWorkers = workpool.IOWorkers

// dirCache keeps one os.Root per output directory, so writing many files
// into it resolves the directory once rather than once per file.
type dirCache struct {
	root  *os.Root
	roots map[string]*os.Root
}

func newDirCache(root *os.Root) *dirCache {
	return &dirCache{root: root, roots: map[string]*os.Root{}}
}

func (c *dirCache) get(dir string) (*os.Root, error) {
	if r, ok := c.roots[dir]; ok {
		return r, nil
	}
	if err := c.root.MkdirAll(dir, dirPerm); err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	r, err := c.root.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	c.roots[dir] = r
	return r, nil
}

func (c *dirCache) close() {
	for _, r := range c.roots {
		r.Close()
	}
}

// writeEcosystem writes <eco>/modified_id.csv and the offline database
// copy osv-scalibr/<eco>/all.zip of the archive already written.
func writeEcosystem(root *os.Root, eco string, entries []entry) error {
	if err := root.MkdirAll(path.Join(OfflineDir, eco), dirPerm); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if err := copyFile(root, path.Join(eco, AllZip), path.Join(OfflineDir, eco, AllZip)); err != nil {
		return err
	}
	if err := root.WriteFile(path.Join(eco, ModifiedCSV), modifiedCSV(entries, false), filePerm); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}

// copyFile copies a file of root, streaming.
func copyFile(root *os.Root, from, to string) (err error) {
	in, err := root.Open(from)
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	defer in.Close()
	out, err := root.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, filePerm)
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("bundle: %w", cerr)
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}

// groupByEcosystem splits the entries (sorted by ID) by ecosystem, each
// group still sorted by ID.
func groupByEcosystem(entries []entry) map[string][]entry {
	m := map[string][]entry{}
	for _, e := range entries {
		m[e.ecosystem] = append(m[e.ecosystem], e)
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
