package osv

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var printer = message.NewPrinter(language.English)

// collectMessages records, for every subschema of doc holding an
// "errorMessage" string, that message under the subschema's JSON pointer.
func collectMessages(doc any, ptr string, out map[string]string) {
	switch n := doc.(type) {
	case map[string]any:
		if m, ok := n["errorMessage"].(string); ok {
			out[ptr] = m
		}
		for k, child := range n {
			collectMessages(child, ptr+"/"+escapeToken(k), out)
		}
	case []any:
		for i, child := range n {
			collectMessages(child, ptr+"/"+strconv.Itoa(i), out)
		}
	}
}

func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// explain turns the validator's error tree into problems. Walking from the
// root, the first error raised by a subschema with an errorMessage is
// reported with that message; otherwise each leaf error is described from
// its keyword.
func (v *Validator) explain(root *jsonschema.ValidationError, inst any) []Problem {
	var out []Problem
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		loc := e.InstanceLocation
		if msg, ok := v.messages[fragment(e.SchemaURL)]; ok {
			out = append(out, Problem{Path: pointer(loc), Message: msg + got(lookup(inst, loc)) + formatReason(e)})
			return
		}
		if _, ok := e.ErrorKind.(*kind.Contains); ok || len(e.Causes) == 0 {
			out = append(out, Problem{Path: pointer(loc), Message: describe(e)})
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(root)
	slices.SortFunc(out, comparePaths)
	return slices.Compact(out)
}

// fragment returns the JSON pointer part of a schema location URL.
func fragment(url string) string {
	_, frag, _ := strings.Cut(url, "#")
	return frag
}

func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapeToken(t))
	}
	return b.String()
}

// comparePaths orders problems by path, numbering array indexes in numeric
// order, then by message.
func comparePaths(a, b Problem) int {
	as, bs := strings.Split(a.Path, "/"), strings.Split(b.Path, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if as[i] == bs[i] {
			continue
		}
		an, aerr := strconv.Atoi(as[i])
		bn, berr := strconv.Atoi(bs[i])
		if aerr == nil && berr == nil {
			return cmp.Compare(an, bn)
		}
		return cmp.Compare(as[i], bs[i])
	}
	if c := cmp.Compare(len(as), len(bs)); c != 0 {
		return c
	}
	return cmp.Compare(a.Message, b.Message)
}

// lookup returns the value at tokens inside inst, or nil.
func lookup(inst any, tokens []string) any {
	cur := inst
	for _, t := range tokens {
		switch n := cur.(type) {
		case map[string]any:
			cur = n[t]
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(n) {
				return nil
			}
			cur = n[i]
		default:
			return nil
		}
	}
	return cur
}

// got describes a value briefly for an error message.
func got(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 80 {
			x = x[:77] + "..."
		}
		return fmt.Sprintf("; got %q", x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, strconv.Quote(k))
		}
		slices.Sort(keys)
		if len(keys) == 0 {
			return "; got an empty object"
		}
		return "; got an object with " + strings.Join(keys, ", ")
	case []any:
		if len(x) == 1 {
			return "; got a list of 1 item"
		}
		return fmt.Sprintf("; got a list of %d items", len(x))
	case nil:
		return ""
	default:
		return fmt.Sprintf("; got %s %v", jsonType(x), x)
	}
}

// formatReason adds the reason a format check failed, for example a day
// out of range in a timestamp that has the right shape.
func formatReason(e *jsonschema.ValidationError) string {
	if f, ok := e.ErrorKind.(*kind.Format); ok && f.Err != nil {
		return " (" + f.Err.Error() + ")"
	}
	return ""
}

// describe says what is wrong for a keyword without an errorMessage.
func describe(e *jsonschema.ValidationError) string {
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		if len(k.Missing) == 1 {
			return fmt.Sprintf("missing required field %q", k.Missing[0])
		}
		return "missing required fields " + quoteAll(k.Missing)
	case *kind.AdditionalProperties:
		return fmt.Sprintf("unknown field %s: OSV 1.7.5 defines no such field here (osv-scanner drops records with unknown fields)", quoteAll(k.Properties))
	case *kind.Type:
		return fmt.Sprintf("must be %s, not %s", article(strings.Join(k.Want, " or ")), article(k.Got))
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		return fmt.Sprintf("%v is not one of %s", k.Got, strings.Join(want, ", "))
	case *kind.Format:
		return fmt.Sprintf("%v is not a valid %s: %v", k.Got, k.Want, k.Err)
	case *kind.Contains:
		if len(e.Causes) > 0 {
			return "no item of this list matches; each item fails with: " + describe(e.Causes[0])
		}
	}
	return e.ErrorKind.LocalizedString(printer)
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

func article(t string) string {
	switch t {
	case "object", "array", "integer":
		return "an " + t
	case "null":
		return "null"
	}
	return "a " + t
}

func jsonType(v any) string {
	switch v.(type) {
	case bool:
		return "boolean"
	case float64:
		return "number"
	}
	return fmt.Sprintf("%T", v)
}
