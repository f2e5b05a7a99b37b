package bundle

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"testing"
)

// archiveZip is what the archives were before the bundle wrote the zip
// records itself: archive/zip's Writer.CreateRaw for every entry, the
// archive starting at offset of its file.
func archiveZip(t *testing.T, entries []zipEntry, offset int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.SetOffset(offset)
	for _, e := range entries {
		out, err := zw.CreateRaw(&zip.FileHeader{
			Name: e.name, Method: zip.Deflate, CreatorVersion: zipVersion, ReaderVersion: zipVersion,
			ModifiedDate: dosDate1980, ModifiedTime: dosTime0, CRC32: e.crc,
			CompressedSize64: uint64(len(e.compressed)), UncompressedSize64: e.size,
		})
		if err == nil {
			_, err = out.Write(e.compressed)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestZipMatchesArchiveZip: the archives are byte for byte archive/zip's,
// in the zip64 forms too (over 65,534 entries; an archive reaching past
// 4 GiB, as if it started there).
func TestZipMatchesArchiveZip(t *testing.T) {
	some := func(n int) []zipEntry {
		out := make([]zipEntry, n)
		for i := range out {
			out[i] = deflate(fmt.Sprintf("PSF-2024-%d.json", i+1), []byte(fmt.Sprintf(`{"id":"PSF-2024-%d"}`, i+1)))
		}
		return out
	}
	for _, tt := range []struct {
		name    string
		entries []zipEntry
		offset  uint64
	}{
		{"empty", nil, 0},
		{"three", some(3), 0},
		{"65535 entries (zip64 end)", some(max16), 0},
		{"past 4 GiB (zip64 entries and end)", some(3), 5 << 30},
		{"reaching 4 GiB", some(3), max32 - 60},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			root, err := os.OpenRoot(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer root.Close()
			z, err := createZip(root, "all.zip")
			if err != nil {
				t.Fatal(err)
			}
			z.offset = tt.offset
			for _, e := range tt.entries {
				if err := z.add(e); err != nil {
					t.Fatal(err)
				}
			}
			if err := z.close(); err != nil {
				t.Fatal(err)
			}
			got, err := root.ReadFile("all.zip")
			if err != nil {
				t.Fatal(err)
			}
			want := archiveZip(t, tt.entries, int64(tt.offset))
			if !bytes.Equal(got, want) {
				i := 0
				for i < min(len(got), len(want)) && got[i] == want[i] {
					i++
				}
				t.Fatalf("%d bytes, archive/zip %d; first difference at byte %d", len(got), len(want), i)
			}
			if tt.offset == 0 {
				if _, err := zip.NewReader(bytes.NewReader(got), int64(len(got))); err != nil {
					t.Errorf("archive/zip cannot read it: %v", err)
				}
			}
		})
	}
}
