package rule

import (
	"fmt"
	"slices"
	"strconv"
)

// ValueProblem walks a decoded JSON value (what encoding/json gives for
// `any`) and returns the path (like `containers.cna.title` or
// `affected[0].versions[2]`) and TextProblem of the first key or string that
// the character rules refuse; path and problem are "" when there is none.
// Keys are visited in sorted order, so the answer does not depend on map
// order. JSON escapes ("\u202e") are decoded by then, so they count as the
// characters they write.
func ValueProblem(v any) (path, problem string) {
	return valueProblem(v, "")
}

func valueProblem(v any, path string) (string, string) {
	switch v := v.(type) {
	case string:
		if p := TextProblem(v); p != "" {
			return path, p
		}
	case []any:
		for i, e := range v {
			if p, msg := valueProblem(e, fmt.Sprintf("%s[%d]", path, i)); msg != "" {
				return p, msg
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			kp := k
			if path != "" {
				kp = path + "." + k
			}
			if p := TextProblem(k); p != "" {
				return path + " key " + strconv.Quote(k), p
			}
			if p, msg := valueProblem(v[k], kp); msg != "" {
				return p, msg
			}
		}
	}
	return "", ""
}
