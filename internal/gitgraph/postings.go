package gitgraph

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Postings maps keys to the commits listing them, as sorted arrays: built
// once when the messages are read and cached flat, so that a warm run looks
// keys up without rebuilding a map over every commit.
// The keys are one string and their ends (like the titles), so that a
// cached index is used in place, without a string per key.
type Postings struct {
	keys    string   // the keys, sorted, concatenated
	keyEnds []uint32 // where each key ends in keys
	Off     []uint32 // len(keyEnds)+1 offsets into Commits
	Commits []uint32 // ascending per key
}

// Len is the number of keys.
func (p *Postings) Len() int { return len(p.keyEnds) }

// Key returns the k-th key in sorted order.
func (p *Postings) Key(k int) string {
	start := uint32(0)
	if k > 0 {
		start = p.keyEnds[k-1]
	}
	return p.keys[start:p.keyEnds[k]]
}

// Get returns the commits of key (shared; do not modify).
func (p *Postings) Get(key string) []uint32 {
	k := sort.Search(p.Len(), func(k int) bool { return p.Key(k) >= key })
	if k == p.Len() || p.Key(k) != key {
		return nil
	}
	return p.Commits[p.Off[k]:p.Off[k+1]]
}

func newPostings(m map[string][]uint32) Postings {
	var p Postings
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var all strings.Builder
	p.keyEnds = make([]uint32, 0, len(keys))
	p.Off = make([]uint32, 0, len(keys)+1)
	for _, k := range keys {
		all.WriteString(k)
		p.keyEnds = append(p.keyEnds, uint32(all.Len()))
		p.Off = append(p.Off, uint32(len(p.Commits)))
		p.Commits = append(p.Commits, m[k]...)
	}
	p.Off = append(p.Off, uint32(len(p.Commits)))
	p.keys = all.String()
	return p
}

// buildIndexes fills Issues and Backports from the titles.
func (m *Messages) buildIndexes() {
	issues := map[string][]uint32{}
	backports := map[string][]uint32{}
	for c := range m.Len() {
		title := m.Title(uint32(c))
		for _, ref := range IssueRefs(title) {
			issues[ref] = append(issues[ref], uint32(c))
		}
		if TitleBranch(title) == "" {
			continue
		}
		for _, n := range GHRefs(title) {
			backports[strconv.Itoa(n)] = append(backports[strconv.Itoa(n)], uint32(c))
		}
	}
	m.Issues, m.Backports = newPostings(issues), newPostings(backports)
}

// IssueRefs returns the issue references of a title ("gh-123067",
// "bpo-41945", any case), lower-cased; none for reverts. It scans by hand:
// it runs over every title of the repository.
func IssueRefs(title string) []string {
	if strings.HasPrefix(title, "Revert ") || !strings.Contains(title, "-") {
		return nil
	}
	var out []string
	for i := 0; i < len(title); i++ {
		for _, p := range [...]string{"gh-", "bpo-"} {
			if len(title)-i <= len(p) || !strings.EqualFold(title[i:i+len(p)], p) || (i > 0 && isWordByte(title[i-1])) {
				continue
			}
			j := i + len(p)
			for j < len(title) && title[j] >= '0' && title[j] <= '9' && j-i-len(p) < 9 {
				j++
			}
			if j > i+len(p) && (j == len(title) || !isWordByte(title[j])) {
				out = append(out, p+title[i+len(p):j])
			}
		}
	}
	return out
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// valid tells whether the postings are well formed over n commits.
func (p *Postings) valid(n int) bool {
	if len(p.Off) != p.Len()+1 || p.Off[0] != 0 || int(p.Off[p.Len()]) != len(p.Commits) {
		return false
	}
	start := uint32(0)
	for k, end := range p.keyEnds {
		if end < start || int(end) > len(p.keys) {
			return false
		}
		start = end
		if p.Off[k] > p.Off[k+1] || k > 0 && p.Key(k-1) >= p.Key(k) {
			return false
		}
	}
	for _, c := range p.Commits {
		if int(c) >= n {
			return false
		}
	}
	return true
}
