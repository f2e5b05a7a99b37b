package bundle

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"os"
	"runtime"
	"sync"
)

// zipEntry is one record compressed once, written raw into every archive
// that holds it.
type zipEntry struct {
	name       string
	crc        uint32
	size       uint64
	compressed []byte
}

// Every entry is dated 1980-01-01 00:00:00, the first MS-DOS date, so the
// archives do not depend on when or where they were built.
const (
	dosDate1980 = 1<<5 | 1 // year 0 (1980), month 1, day 1
	dosTime0    = 0
	zipVersion  = 20 // version 2.0: deflate
)

// compressAll deflates every entry's JSON, in parallel, keeping input order.
func compressAll(entries []entry) []zipEntry {
	out := make([]zipEntry, len(entries))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(entries)))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			fw, _ := flate.NewWriter(&buf, flate.DefaultCompression) // level is valid: no error
			for i := w; i < len(entries); i += workers {
				out[i] = deflate(fw, &buf, entries[i])
			}
		}()
	}
	wg.Wait()
	return out
}

func deflate(fw *flate.Writer, buf *bytes.Buffer, e entry) zipEntry {
	buf.Reset()
	fw.Reset(buf)
	_, _ = fw.Write(e.json) // writes to a bytes.Buffer cannot fail
	_ = fw.Close()
	return zipEntry{
		name:       e.id + ".json",
		crc:        crc32.ChecksumIEEE(e.json),
		size:       uint64(len(e.json)),
		compressed: bytes.Clone(buf.Bytes()),
	}
}

// writeZip writes entries, in the order given (sorted by ID), to name.
func writeZip(root *os.Root, name string, entries []zipEntry) (err error) {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, filePerm)
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("bundle: %w", cerr)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := encodeZip(bw, entries); err != nil {
		return fmt.Errorf("bundle: writing %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("bundle: writing %s: %w", name, err)
	}
	return nil
}

func encodeZip(w *bufio.Writer, entries []zipEntry) error {
	zw := zip.NewWriter(w)
	for _, e := range entries {
		fh := &zip.FileHeader{
			Name:               e.name,
			Method:             zip.Deflate,
			CreatorVersion:     zipVersion,
			ReaderVersion:      zipVersion,
			ModifiedDate:       dosDate1980,
			ModifiedTime:       dosTime0,
			CRC32:              e.crc,
			CompressedSize64:   uint64(len(e.compressed)),
			UncompressedSize64: e.size,
		}
		out, err := zw.CreateRaw(fh)
		if err != nil {
			return err
		}
		if _, err := out.Write(e.compressed); err != nil {
			return err
		}
	}
	return zw.Close()
}
