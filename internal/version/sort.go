package version

import "sort"

// Sort orders release tags in version order. Tags that do not parse sort
// first, by text.
func Sort(tags []string) {
	parsed := make([]Version, len(tags))
	ok := make([]bool, len(tags))
	for i, t := range tags {
		v, err := Parse(t)
		parsed[i], ok[i] = v, err == nil
	}
	idx := make([]int, len(tags))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		i, j := idx[a], idx[b]
		switch {
		case ok[i] != ok[j]:
			return !ok[i]
		case !ok[i]:
			return tags[i] < tags[j]
		}
		return parsed[i].Less(parsed[j])
	})
	out := make([]string, len(tags))
	for k, i := range idx {
		out[k] = tags[i]
	}
	copy(tags, out)
}
