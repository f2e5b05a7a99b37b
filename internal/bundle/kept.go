package bundle

import (
	"time"

	"github.com/psf/advisory-builder/internal/packed"
)

// keptEntries are the entries a Writer keeps until Close, without
// pointers: the IDs in one arena, the few products and ecosystems by
// number, the times as numbers.
type keptEntries struct {
	ids   packed.Strings
	names []string // products and ecosystems, each once
	rows  []keptEntry
}

type keptEntry struct {
	id                 uint32
	product, ecosystem uint32 // indexes into names
	sec                int64  // modified, UTC
	nsec               int32
}

// add keeps e.
func (k *keptEntries) add(e entry) {
	k.rows = append(k.rows, keptEntry{
		id: k.ids.Add(e.id), product: k.name(e.product), ecosystem: k.name(e.ecosystem),
		sec: e.modified.Unix(), nsec: int32(e.modified.Nanosecond()),
	})
}

// name is the index of a product or ecosystem name, added on first use.
func (k *keptEntries) name(s string) uint32 {
	for i, n := range k.names {
		if n == s {
			return uint32(i)
		}
	}
	k.names = append(k.names, s)
	return uint32(len(k.names) - 1)
}

// len is the number of entries kept.
func (k *keptEntries) len() int { return len(k.rows) }

// all are the entries kept, in the order added.
func (k *keptEntries) all() []entry {
	out := make([]entry, len(k.rows))
	for i, r := range k.rows {
		out[i] = entry{id: k.ids.At(r.id), product: k.names[r.product], ecosystem: k.names[r.ecosystem], modified: time.Unix(r.sec, int64(r.nsec)).UTC()}
	}
	return out
}
