package build

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/product"
)

// products dates the part of each product's configuration that reaches its
// records (product.RecordFields: the repo, the package's ecosystem, name
// and purl): it landed at the oldest first-parent commit of the unbroken
// run (from HEAD back) whose products.yaml gives the product the same
// fields. A one-line edit of `repo` changes every record of the product,
// so it must move their `modified`, or osv.dev would ignore the update and
// the publish guard refuse it.
//
// Only commits that changed the file's blob are parsed; a version that
// does not parse counts as different content (it can only date a product
// later, never earlier).
type products struct {
	h       *history
	path    string            // repo-relative products.yaml
	blob    string            // its blob at the commit being stepped
	pending map[string]string // product name -> record fields
	found   map[string]time.Time
}

// products starts tracking the configuration file: products whose fields
// equal HEAD's are pending, the others (an uncommitted edit) get HEAD's
// time.
func (h *history) products(head *object.Tree, file string, cfg product.Config) (*products, error) {
	p := &products{h: h, pending: map[string]string{}, found: map[string]time.Time{}}
	path, blob, err := h.blobOf(file)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	p.path = path
	if p.blob, err = blobAt(head, path); err != nil {
		return nil, err
	}
	var committed map[string]string
	if p.blob != blob {
		if committed, err = p.fields(p.blob); err != nil {
			return nil, err
		}
	}
	for name, prod := range cfg {
		f := prod.RecordFields()
		if committed != nil && committed[name] != f {
			p.found[name] = h.headTime
			continue
		}
		p.pending[name] = f
	}
	return p, nil
}

func (p *products) step(t time.Time, parent *object.Tree) (bool, error) {
	if len(p.pending) == 0 {
		return false, nil
	}
	pb := ""
	if parent != nil {
		var err error
		if pb, err = blobAt(parent, p.path); err != nil {
			return false, err
		}
	}
	if pb == p.blob && parent != nil {
		return true, nil
	}
	older, err := p.fields(pb)
	if err != nil {
		return false, err
	}
	for name, f := range p.pending {
		if older[name] != f {
			p.found[name] = t
			delete(p.pending, name)
		}
	}
	p.blob = pb
	return len(p.pending) > 0, nil
}

// fields reads the configuration stored as blob: each product's record
// fields; empty when there is no blob or it does not parse.
func (p *products) fields(blob string) (map[string]string, error) {
	out := map[string]string{}
	if blob == "" {
		return out, nil
	}
	data, err := p.h.blobs().read(blob)
	if err != nil {
		return nil, fmt.Errorf("reading %s (blob %s) from the database history: %w", p.path, blob, err)
	}
	cfg, err := product.Parse(p.path, data)
	if err != nil || len(data) > advisory.MaxFileSize {
		return out, nil
	}
	for name, prod := range cfg {
		out[name] = prod.RecordFields()
	}
	return out, nil
}
