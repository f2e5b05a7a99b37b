package site

import (
	"os"

	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/product"
)

// Write renders the site into root with the default options, as the tests
// need it. recs are the built records (any order); cfg is the products
// configuration.
func Write(root *os.Root, recs []*osv.Record, cfg product.Config) error {
	return WriteOptions(root, recs, cfg, Options{})
}
