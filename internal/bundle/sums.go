package bundle

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
)

// WriteSums writes SHA256SUMS at the top of root: one line per regular file
// in the tree (SHA256SUMS itself excepted), "<hex>  <path>", sorted by path,
// the format `sha256sum -c SHA256SUMS` checks. Call it last, after every
// other file (records, bundle, site) is written. A symbolic link or other
// non-regular file, or a path with a newline or backslash, is an error.
func WriteSums(root *os.Root) error {
	b, err := Sums(root.FS())
	if err != nil {
		return err
	}
	if err := root.WriteFile(SumsFile, b, filePerm); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}

// Sums renders the SHA256SUMS content of fsys (without SHA256SUMS itself).
func Sums(fsys fs.FS) ([]byte, error) {
	files, err := regularFiles(fsys)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, name := range files {
		sum, err := hashFile(fsys, name)
		if err != nil {
			return nil, err
		}
		b.WriteString(sum)
		b.WriteString("  ")
		b.WriteString(name)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// regularFiles lists every regular file of fsys but SHA256SUMS, sorted.
func regularFiles(fsys fs.FS) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file (%s): the output tree holds only files and directories", name, d.Type())
		}
		if strings.ContainsAny(name, "\n\\") {
			return fmt.Errorf("%q: a file name with a newline or backslash cannot be listed in %s", name, SumsFile)
		}
		if name != SumsFile {
			files = append(files, name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	sort.Strings(files)
	return files, nil
}

func hashFile(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", fmt.Errorf("bundle: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("bundle: reading %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// VerifySums checks that fsys holds a SHA256SUMS listing exactly its files
// with their current hashes: the output of a complete build. It names the
// first file that is missing, unlisted or changed.
func VerifySums(fsys fs.FS) error {
	want, err := fs.ReadFile(fsys, SumsFile)
	if err != nil {
		return fmt.Errorf("%s missing: the directory is not a complete build output (%w)", SumsFile, err)
	}
	got, err := Sums(fsys)
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
