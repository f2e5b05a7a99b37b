package resolve

import (
	"fmt"
	"io"
	"strings"
)

// Why tells in words why tag t is or is not affected.
func (res *Result) Why(t int) string {
	r := res.r
	var contained []uint32
	for _, i := range res.rg.Introduced {
		if r.Contains(i, t) {
			contained = append(contained, i)
		}
	}
	if len(contained) == 0 {
		return "not affected: contains no introduced commit"
	}
	var stopped []string
	for _, i := range contained {
		f, ok := res.stopper(i, t)
		switch {
		case !ok && i == Origin:
			return "affected: contains no fix (introduced 0)"
		case !ok:
			return fmt.Sprintf("affected: contains introduced %s and no fix after it", res.introName(i))
		case i == Origin:
			stopped = append(stopped, "fix "+res.fixName(f))
		default:
			stopped = append(stopped, fmt.Sprintf("fix %s, which follows introduced %s", res.fixName(f), res.introName(i)))
		}
	}
	return "not affected: contains " + strings.Join(dedupe(stopped), "; ")
}

// stopper returns the index in rg.Fixed of a fix F with I ⪯ F ⪯ tip t.
func (res *Result) stopper(i uint32, t int) (int, bool) {
	for k, f := range res.rg.Fixed {
		if res.anc.isAncestor(i, f) && res.r.Contains(f, t) {
			return k, true
		}
	}
	return 0, false
}

func (res *Result) introName(i uint32) string {
	s := res.r.g.Hash(i).String()[:12]
	if len(res.r.g.Parents(i)) == 0 {
		s += " (root)"
	}
	return s
}

func (res *Result) fixName(k int) string {
	s := res.r.g.Hash(res.rg.Fixed[k]).String()[:12]
	if from := res.rg.FixedFrom[k]; from >= 0 {
		s += fmt.Sprintf(" (child of last_affected %s)", res.r.g.Hash(uint32(from)).String()[:12])
	}
	return s
}

func dedupe(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Explain writes, per release series (newest first), every tag and why it is
// or is not affected, then each branch head.
func (res *Result) Explain(w io.Writer) {
	var order []string
	series := map[string][]int{}
	for t, tag := range res.r.tags {
		s := tag.Version.Branch()
		if _, ok := series[s]; !ok {
			order = append(order, s)
		}
		series[s] = append(series[s], t)
	}
	for k := len(order) - 1; k >= 0; k-- {
		s := order[k]
		n := 0
		for _, t := range series[s] {
			if res.Affected(t) {
				n++
			}
		}
		fmt.Fprintf(w, "series %s: %d of %d releases affected\n", s, n, len(series[s]))
		for _, t := range series[s] {
			fmt.Fprintf(w, "  %-12s %s\n", res.r.tags[t].Name, res.Why(t))
		}
	}
	for k, h := range res.r.heads {
		fmt.Fprintf(w, "branch head %-6s %s\n", h.Branch, res.Why(len(res.r.tags)+k))
	}
}
