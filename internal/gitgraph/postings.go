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
type Postings struct {
	Keys    []string // sorted
	Off     []uint32 // len(Keys)+1 offsets into Commits
	Commits []uint32 // ascending per key
}

// Get returns the commits of key (shared; do not modify).
func (p *Postings) Get(key string) []uint32 {
	k := sort.SearchStrings(p.Keys, key)
	if k == len(p.Keys) || p.Keys[k] != key {
		return nil
	}
	return p.Commits[p.Off[k]:p.Off[k+1]]
}

func newPostings(m map[string][]uint32) Postings {
	var p Postings
	for k := range m {
		p.Keys = append(p.Keys, k)
	}
	slices.Sort(p.Keys)
	p.Off = make([]uint32, 0, len(p.Keys)+1)
	for _, k := range p.Keys {
		p.Off = append(p.Off, uint32(len(p.Commits)))
		p.Commits = append(p.Commits, m[k]...)
	}
	p.Off = append(p.Off, uint32(len(p.Commits)))
	return p
}

// buildIndexes fills Issues and Backports from the titles.
func (m *Messages) buildIndexes() {
	issues := map[string][]uint32{}
	backports := map[string][]uint32{}
	for c, title := range m.Titles {
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
	if len(p.Off) != len(p.Keys)+1 || p.Off[0] != 0 || int(p.Off[len(p.Keys)]) != len(p.Commits) {
		return false
	}
	for k := range p.Keys {
		if p.Off[k] > p.Off[k+1] || k > 0 && p.Keys[k-1] >= p.Keys[k] {
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
