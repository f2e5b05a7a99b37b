package advisory

import (
	"fmt"

	"github.com/psf/advisory-builder/internal/packed"
)

// Identities keep the identities of a database's advisories for the
// checks across files, packed: each encoded into one byte arena without
// pointers, so that a build holding 100,000 of them while it streams costs
// the garbage collector nothing to scan. All gives them back.
type Identities struct {
	data    packed.Arena // identity i is record i+1
	scratch []byte       // one identity being encoded
	product packed.Interner
}

// Add keeps an identity.
func (ids *Identities) Add(id Identity) error {
	if int64(ids.data.Len()) >= 1<<32-2 {
		return fmt.Errorf("too many advisory identities")
	}
	b := packed.AppendString(ids.scratch[:0], id.ID)
	b = packed.AppendUint(b, uint64(ids.product.Intern(id.Product)))
	b = packed.AppendString(b, id.Path)
	b = packed.AppendString(b, id.Published)
	b = appendList(b, id.Aliases)
	b = packed.AppendUint(b, uint64(len(id.pos)))
	for _, p := range id.pos {
		b = packed.AppendUint(b, uint64(max(p.Line, 0)))
		b = packed.AppendUint(b, uint64(max(p.Col, 0)))
	}
	ids.scratch = b
	ids.data.Add(b)
	return nil
}

// appendList appends a list of strings, nil apart from empty.
func appendList(b []byte, l []string) []byte {
	if l == nil {
		return packed.AppendUint(b, 0)
	}
	b = packed.AppendUint(b, uint64(len(l))+1)
	for _, s := range l {
		b = packed.AppendString(b, s)
	}
	return b
}

// Len is the number of identities kept.
func (ids *Identities) Len() int { return ids.data.Len() }

// All are the identities kept, in the order added.
func (ids *Identities) All() ([]Identity, error) {
	out := make([]Identity, ids.Len())
	for i := range out {
		r := packed.NewReader(ids.data.At(uint32(i + 1)))
		id := Identity{ID: r.String(), Product: ids.product.At(r.Uint32()), Path: r.String(), Published: r.String()}
		if n := r.Len(); n > 0 {
			id.Aliases = make([]string, n-1)
			for j := range id.Aliases {
				id.Aliases[j] = r.String()
			}
		}
		if n := r.Len(); n > 0 {
			id.pos = make([]Position, n)
			for j := range id.pos {
				id.pos[j] = Position{Line: int(r.Uint32()), Col: int(r.Uint32())}
			}
		}
		if err := r.Err(); err != nil {
			return nil, fmt.Errorf("advisory identity %d: %w", i, err)
		}
		out[i] = id
	}
	return out, nil
}
