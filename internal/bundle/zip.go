package bundle

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"os"
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

// deflate compresses one record for the archives.
func deflate(name string, data []byte) zipEntry {
	c := compressors.Get().(*compressor)
	defer compressors.Put(c)
	c.buf.Reset()
	c.fw.Reset(&c.buf)
	_, _ = c.fw.Write(data) // writes to a bytes.Buffer cannot fail
	_ = c.fw.Close()
	return zipEntry{
		name:       name,
		crc:        crc32.ChecksumIEEE(data),
		size:       uint64(len(data)),
		compressed: bytes.Clone(c.buf.Bytes()),
	}
}

// compressor is a reusable deflate writer and its output buffer.
type compressor struct {
	buf bytes.Buffer
	fw  *flate.Writer
}

var compressors = sync.Pool{New: func() any {
	c := new(compressor)
	c.fw, _ = flate.NewWriter(&c.buf, flate.DefaultCompression) // level is valid: no error
	return c
}}

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
