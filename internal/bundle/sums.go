package bundle

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/psf/advisory-builder/internal/outfile"
	"github.com/psf/advisory-builder/internal/packed"
	"github.com/psf/advisory-builder/internal/workpool"
)

// WriteSums writes SHA256SUMS at the top of root: one line per regular file
// in the tree (SHA256SUMS itself excepted), "<hex>  <path>", sorted by path,
// the format `sha256sum -c SHA256SUMS` checks. Call it last, after every
// other file (records, bundle, site) is written. A symbolic link or other
// non-regular file, or a path with a newline or backslash, is an error.
func WriteSums(root *os.Root) error {
	return WriteSumsKnown(root, nil)
}

// WriteSumsKnown is WriteSums taking the sums of the files whose bytes
// known recorded as they were written, and reading back only the others.
// Every file is still listed from the tree itself.
func WriteSumsKnown(root *os.Root, known *Hashes) error {
	b, err := sums(root, known)
	if err != nil {
		return err
	}
	if err := root.WriteFile(SumsFile, b, filePerm); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}

// Hashes are the SHA-256 sums of files as they are written, by slash path
// under the output root, so that SHA256SUMS need not read them back. The
// writer records the bytes it wrote, once it wrote them; a path recorded
// twice with different bytes is read back. Safe for concurrent use; a nil
// *Hashes records nothing.
//
// A build records one sum per record and per page, so they are kept
// without pointers: the paths in one arena, the sums as bytes, in the
// order added, sorted by path when first asked (known).
type Hashes struct {
	mu     sync.Mutex
	names  packed.Strings
	sums   []fileSum
	sorted bool // sums are sorted by path, each path once
}

// fileSum is a path (its number in names) and the sum of its bytes.
type fileSum struct {
	name  uint32
	sum   [sha256.Size]byte
	mixed bool // the path was written twice, with different bytes
}

// NewHashes is an empty record.
func NewHashes() *Hashes { return &Hashes{} }

// Add records the bytes written to name.
func (h *Hashes) Add(name string, data []byte) {
	if h == nil {
		return
	}
	sum := sha256.Sum256(data)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sums = append(h.sums, fileSum{name: h.names.Add(name), sum: sum})
	h.sorted = false
}

// known is the recorded sum of name, if one is.
func (h *Hashes) known(name string) (string, bool) {
	sums := h.knownAll([]string{name})
	return sums[0], sums[0] != ""
}

// knownAll is known for every path of names, which must be sorted and
// each once: the recorded sum's hex, "" where none is (or the path's bytes
// differed). One merge of the two sorted lists, under one lock: asking for
// each of SHA256SUMS's 200,000 files at once took a binary search and the
// lock per file.
func (h *Hashes) knownAll(names []string) []string {
	out := make([]string, len(names))
	if h == nil {
		return out
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sort()
	j := 0
	for i, name := range names {
		for j < len(h.sums) && h.names.At(h.sums[j].name) < name {
			j++
		}
		if j < len(h.sums) && !h.sums[j].mixed && h.names.At(h.sums[j].name) == name {
			out[i] = hex.EncodeToString(h.sums[j].sum[:])
		}
	}
	return out
}

// sort orders the sums by path, once after each Add, and merges a path
// recorded twice (mixed when its bytes differed).
func (h *Hashes) sort() {
	if h.sorted {
		return
	}
	slices.SortStableFunc(h.sums, func(a, b fileSum) int { return cmp.Compare(h.names.At(a.name), h.names.At(b.name)) })
	out := h.sums[:0]
	for _, s := range h.sums {
		if n := len(out); n > 0 && h.names.At(out[n-1].name) == h.names.At(s.name) {
			out[n-1].mixed = out[n-1].mixed || s.mixed || out[n-1].sum != s.sum
			continue
		}
		out = append(out, s)
	}
	h.sums, h.sorted = out, true
}

// Sums renders the SHA256SUMS content of root (without SHA256SUMS itself),
// reading every file.
func Sums(root *os.Root) ([]byte, error) {
	return sums(root, nil)
}

func sums(root *os.Root, known *Hashes) ([]byte, error) {
	files, opened, err := walkSums(root, "")
	defer func() {
		for _, r := range opened {
			r.Close()
		}
	}()
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	// Sorted by path now, the order of the lines, so that the recorded
	// sums are found in one merge.
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.name
	}
	recorded := known.knownAll(names)
	lines := make([]sumLine, len(files))
	err = workpool.Each(len(files), ioWorkers, func(i int) error {
		if recorded[i] != "" {
			lines[i] = sumLine{files[i].name, recorded[i]}
			return nil
		}
		sum, err := hashFile(files[i].dir, files[i].base)
		if err != nil {
			return fmt.Errorf("bundle: reading %s: %w", files[i].name, err)
		}
		lines[i] = sumLine{files[i].name, sum}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l.sum)
		b.WriteString("  ")
		b.WriteString(l.name)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

type sumLine struct{ name, sum string }

// sumFile is a file to hash: its path, its directory's root and bare name.
type sumFile struct {
	name, base string
	dir        *os.Root
}

// walkSums lists every regular file under dir, opening one os.Root per
// directory (returned in opened, for the caller to close, also on an
// error) so each file is later opened by its bare name. Subdirectories are
// listed at once, each on its own goroutine (at 100,000 advisories the
// three directories of records and pages hold 200,000 files); the error
// returned is the first in the order of a depth-first walk.
func walkSums(dir *os.Root, prefix string) (files []sumFile, opened []*os.Root, err error) {
	ents, err := outfile.List(dir)
	if err != nil {
		return nil, nil, err
	}
	type listed struct {
		files  []sumFile
		opened []*os.Root
		err    error
	}
	each := make([]listed, len(ents))
	var wg sync.WaitGroup
	for i, e := range ents {
		name := prefix + e.Name
		switch {
		case e.IsDir():
			sub, err := dir.OpenRoot(e.Name)
			if err != nil {
				each[i].err = err
				continue
			}
			each[i].opened = []*os.Root{sub}
			wg.Go(func() {
				files, opened, err := walkSums(sub, name+"/")
				each[i].files, each[i].err = files, err
				each[i].opened = append(each[i].opened, opened...)
			})
		case !e.Type.IsRegular():
			each[i].err = fmt.Errorf("%s is not a regular file (%s): the output tree holds only files and directories", name, e.Type)
		case strings.ContainsAny(name, "\n\\"):
			each[i].err = fmt.Errorf("%q: a file name with a newline or backslash cannot be listed in %s", name, SumsFile)
		case name == SumsFile:
		default:
			each[i].files = []sumFile{{name: name, base: e.Name, dir: dir}}
		}
	}
	wg.Wait()
	for _, l := range each {
		opened = append(opened, l.opened...)
		if err == nil {
			err = l.err
		}
		files = append(files, l.files...)
	}
	return files, opened, err
}

// copyBufs holds the read buffers of hashFile, one per concurrent hash.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 32*1024); return &b }}

// onlyReader hides os.File's WriteTo, which would allocate its own buffer.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func hashFile(dir *os.Root, name string) (string, error) {
	f, err := dir.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	h := sha256.New()
	if _, err := io.CopyBuffer(h, onlyReader{f}, *buf); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// VerifySums checks that root holds a SHA256SUMS listing exactly its files
// with their current hashes: the output of a complete build. It names the
// first file that is missing, unlisted or changed.
func VerifySums(root *os.Root) error {
	want, err := root.ReadFile(SumsFile)
	if err != nil {
		return fmt.Errorf("%s missing: the directory is not a complete build output (%w)", SumsFile, err)
	}
	got, err := Sums(root)
	if err != nil {
		return err
	}
	if bytes.Equal(want, got) {
		return nil
	}
	return fmt.Errorf("%s does not match the directory: %s", SumsFile, firstDifference(want, got))
}

func firstDifference(want, got []byte) string {
	w := sumLines(want)
	g := sumLines(got)
	for _, name := range sortedKeys(w) {
		if _, ok := g[name]; !ok {
			return name + " is listed but missing"
		}
		if g[name] != w[name] {
			return name + " has changed since " + SumsFile + " was written"
		}
	}
	for _, name := range sortedKeys(g) {
		if _, ok := w[name]; !ok {
			return name + " is not listed"
		}
	}
	return "the file is not in canonical form (sorted \"<sha256>  <path>\" lines)"
}

func sumLines(b []byte) map[string]string {
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if ok {
			m[name] = sum
		}
	}
	return m
}
