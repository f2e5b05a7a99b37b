package site

import (
	"sync"
	"sync/atomic"

	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/verdict"
)

// maxMemoReleases bounds a memoOrder's table (n x n cells of 4 bytes: 16
// MiB at 2,048 releases, of which only the cells asked are ever touched); a
// product naming more releases is judged through its order directly.
const maxMemoReleases = 2048

// memoOrder is a product's release order that remembers each comparison
// between two of the releases it was made for: the search index judges
// every advisory against every release of its product, and with a PEP 440
// scheme each comparison costs far more than a look-up. It answers exactly
// as the order it wraps (an answer is that order's, stored the first time
// it is asked; errors and answers outside -1..1 are not stored), and
// delegates everything else. Safe for concurrent use: the wrapped order is
// asked under a lock, because the PEP 440 library pads a version's parts
// in place while it compares (two goroutines comparing the same cached
// versions race inside it), and asking is rare once the table fills.
type memoOrder struct {
	verdict.Order
	at    map[string]int32 // release as written -> its row; read-only
	n     int
	cells []atomic.Int32 // row*n + column: 0 not asked yet, else answer + 2
	mu    sync.Mutex     // held while the wrapped order compares
}

// newMemoOrder remembers o's comparisons between the releases at numbers
// 0 to len(at)-1 (at is kept, not copied); nil when there are too many.
func newMemoOrder(o verdict.Order, at map[string]int32) *memoOrder {
	n := len(at)
	if n > maxMemoReleases {
		return nil
	}
	return &memoOrder{Order: o, at: at, n: n, cells: make([]atomic.Int32, n*n)}
}

// CompareReleases is the wrapped order's answer.
func (m *memoOrder) CompareReleases(a, b string) (int, error) {
	i, okA := m.at[a]
	j, okB := m.at[b]
	if !okA || !okB {
		return m.ask(a, b, nil)
	}
	cell := &m.cells[int(i)*m.n+int(j)]
	if v := cell.Load(); v != 0 {
		return int(v) - 2, nil
	}
	return m.ask(a, b, cell)
}

// ask compares two releases through the wrapped order, one comparison at a
// time, and keeps the answer in cell (nil: not kept).
func (m *memoOrder) ask(a, b string, cell *atomic.Int32) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, err := m.Order.CompareReleases(a, b)
	if cell != nil && err == nil && c >= -1 && c <= 1 {
		cell.Store(int32(c) + 2)
	}
	return c, err
}

// judgeOrders is the order each summary is judged through: its product's
// memoOrder, or its product's order when there is none.
type judgeOrders map[*product.Order]verdict.Order

// of is the order s is judged through (nil when s names no product).
func (js judgeOrders) of(s *advSummary) verdict.Order {
	if m := js[s.order]; m != nil {
		return m
	}
	if s.order == nil {
		return nil
	}
	return s.order
}
