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
	"strings"
	"sync"
	"time"

	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/workpool"

	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/outfile"
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

// entry is one record as the bundle keeps it once the record is written:
// what the indexes (modified_id.csv, the REST index) need.
type entry struct {
	id        string
	product   string
	ecosystem string
	modified  time.Time
}

// Write writes the bundle of recs inside root. recs may come in any order;
// every output is sorted. It fails, naming the record, on a record without
// an OSV record or JSON, an ID, product or ecosystem that is not a plain file
// name, a `modified` that is not RFC 3339, or an ID used twice.
//
// It checks every record first, then streams them through a Writer in ID
// order on the worker pool, so only a few records' bytes exist at once.
func Write(root *os.Root, recs []*osv.Record) error {
	return WriteHashed(root, recs, nil)
}

// WriteHashed is Write, recording in hashes the sums of the records'
// files as it writes them (for WriteSumsKnown).
func WriteHashed(root *os.Root, recs []*osv.Record, hashes *Hashes) error {
	sorted, err := collect(recs)
	if err != nil {
		return err
	}
	w, err := NewWriter(root, hashes)
	if err != nil {
		return err
	}
	err = workpool.Ordered(len(sorted), ioWorkers, func(i int) (Entry, error) {
		return w.Prepare(sorted[i])
	}, func(_ int, e Entry) error { return w.Add(e) })
	if err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

// Writer writes the bundle one record at a time: Prepare writes a record's
// file and compresses it (on any goroutine), Add appends it to the archives
// (in ID order, on one goroutine), and Close writes the indexes. It keeps
// per record its ID, its product and ecosystem and its time, without
// pointers (keptEntries), and its archives' central directory records as
// bytes.
type Writer struct {
	root     *os.Root
	hashes   *Hashes // the sums of the record files written (nil: none kept)
	dirs     *dirCache
	archives *archives
	kept     keptEntries
	last     entry // the entry added last: IDs must increase
}

// Entry is one record prepared for the archives (Writer.Prepare).
type Entry struct {
	entry
	zip zipEntry
}

// NewWriter starts a bundle inside root; Close or Abort must follow. The
// sums of the record files it writes go into hashes (nil: none kept).
func NewWriter(root *os.Root, hashes *Hashes) (*Writer, error) {
	all, err := createZip(root, AllZip)
	if err != nil {
		return nil, err
	}
	return &Writer{root: root, hashes: hashes, dirs: newDirCache(root), archives: &archives{all: all, byEco: map[string]*zipFile{}}}, nil
}

// Prepare writes advisories/<product>/<ID>.json, the exact record bytes
// (those the build validated, or the same encoding made again when it
// released them), and compresses it once for every archive. It fails on a
// record Write would refuse. Safe for concurrent use.
func (w *Writer) Prepare(r *osv.Record) (Entry, error) {
	e, err := toEntry(r)
	if err != nil {
		return Entry{}, fmt.Errorf("bundle: %w", err)
	}
	data, err := recordJSON(r)
	if err != nil {
		return Entry{}, fmt.Errorf("bundle: %s: %w", e.id, err)
	}
	dir, err := w.dirs.get(path.Join(AdvisoriesDir, e.product))
	if err != nil {
		return Entry{}, err
	}
	if err := dir.WriteFile(e.id+".json", data, filePerm); err != nil {
		return Entry{}, fmt.Errorf("bundle: %w", err)
	}
	w.hashes.Add(path.Join(AdvisoriesDir, e.product, e.id+".json"), data)
	return Entry{entry: e, zip: deflate(e.id+".json", data)}, nil
}

// Add appends a prepared record to all.zip and to its ecosystem's
// all.zip. Records must come in ID order, each ID once.
func (w *Writer) Add(e Entry) error {
	if w.kept.len() > 0 && e.id <= w.last.id {
		if e.id == w.last.id {
			return fmt.Errorf("bundle: ID %s is used twice (products %s and %s): IDs must be unique across the database", e.id, w.last.product, e.product)
		}
		return fmt.Errorf("bundle: record %s comes after %s: records must be added in ID order", e.id, w.last.id)
	}
	eco, err := w.archives.of(w.root, e.ecosystem)
	if err != nil {
		return err
	}
	if err := w.archives.all.add(e.zip); err != nil {
		return err
	}
	if err := eco.add(e.zip); err != nil {
		return err
	}
	w.kept.add(e.entry)
	w.last = e.entry
	return nil
}

// Close finishes the archives and writes the offline copies, the
// modified_id.csv files, ecosystems.txt and the REST indexes.
func (w *Writer) Close() error {
	defer w.dirs.close()
	if err := w.archives.close(); err != nil {
		return err
	}
	entries := w.kept.all()
	byEco := groupByEcosystem(entries)
	ecos := sortedKeys(byEco)
	for _, eco := range ecos {
		if err := writeEcosystem(w.root, eco, byEco[eco]); err != nil {
			return err
		}
	}
	if err := w.root.WriteFile(ModifiedCSV, modifiedCSV(entries, true), filePerm); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if err := w.root.WriteFile(EcosystemsFile, ecosystemsTxt(ecos), filePerm); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return writeREST(w.root, entries)
}

// Abort closes what the writer holds open, after a failure; the output is
// incomplete (a build discards it).
func (w *Writer) Abort() {
	w.archives.close()
	w.dirs.close()
}

// archives are the zip archives being written: all.zip and each
// ecosystem's <ECOSYSTEM>/all.zip, created when its first record comes.
type archives struct {
	all   *zipFile
	byEco map[string]*zipFile
}

// of is the archive of an ecosystem, created on first use.
func (a *archives) of(root *os.Root, eco string) (*zipFile, error) {
	if z := a.byEco[eco]; z != nil {
		return z, nil
	}
	if err := root.MkdirAll(eco, dirPerm); err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	z, err := createZip(root, path.Join(eco, AllZip))
	if err != nil {
		return nil, err
	}
	a.byEco[eco] = z
	return z, nil
}

// close finishes every archive once; the first error is returned.
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
	a.all, a.byEco = nil, map[string]*zipFile{}
	return first
}

func mapValues(m map[string]*zipFile) []*zipFile {
	out := make([]*zipFile, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

// collect checks every record and returns them sorted by ID.
func collect(recs []*osv.Record) ([]*osv.Record, error) {
	type keyed struct {
		entry
		rec *osv.Record
	}
	entries := make([]keyed, 0, len(recs))
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
		entries = append(entries, keyed{e, r})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].id < entries[j].id })
	out := make([]*osv.Record, len(entries))
	for i, e := range entries {
		out[i] = e.rec
	}
	return out, nil
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
	return entry{id: strings.Clone(id), product: r.Product.Name, ecosystem: eco, modified: mod.UTC()}, nil
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

// dirCache keeps each output directory open, so writing many files into
// it resolves the directory once rather than once per file, and creates
// each file with the fewest system calls (outfile).
type dirCache struct {
	mu   sync.Mutex
	root *os.Root
	dirs map[string]*outfile.Dir
}

func newDirCache(root *os.Root) *dirCache {
	return &dirCache{root: root, dirs: map[string]*outfile.Dir{}}
}

func (c *dirCache) get(dir string) (*outfile.Dir, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d, ok := c.dirs[dir]; ok {
		return d, nil
	}
	d, err := outfile.Open(c.root, dir, dirPerm)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	c.dirs[dir] = d
	return d, nil
}

func (c *dirCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range c.dirs {
		d.Close()
	}
	c.dirs = map[string]*outfile.Dir{}
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
