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
// root, an error raised by a subschema with an errorMessage is reported
// with that message. A leaf error without one takes the errorMessage of the
// nearest enclosing subschema, searching from the leaf towards the root
// through the subschemas the library did not wrap in errors of their own,
// and is reported at the instance that subschema applies to. Failing that,
// the leaf is described from its keyword.
func (v *Validator) explain(root *jsonschema.ValidationError, inst any) []Problem {
	var out []Problem
	add := func(loc []string, msg string) {
		out = append(out, Problem{Path: pointer(loc), Message: msg + got(lookup(inst, loc))})
	}
	type frame struct {
		ptr, parent string
		loc         []string
	}
	var walk func(e *jsonschema.ValidationError, chain []frame)
	walk = func(e *jsonschema.ValidationError, chain []frame) {
		parent := ""
		if len(chain) > 0 {
			parent = chain[len(chain)-1].ptr
		}
		ptr := fragment(e.SchemaURL)
		if msg, ok := v.messages[ptr]; ok {
			out = append(out, Problem{Path: pointer(e.InstanceLocation), Message: msg + got(lookup(inst, e.InstanceLocation)) + formatReason(e)})
			return
		}
		chain = append(chain, frame{ptr, parent, e.InstanceLocation})
		_, contains := e.ErrorKind.(*kind.Contains)
		if len(e.Causes) > 0 && !contains {
			for _, c := range e.Causes {
				walk(c, chain)
			}
			return
		}
		for i := len(chain) - 1; i >= 0; i-- {
			f := chain[i]
			if msg, up, ok := v.messageFor(f.ptr, f.parent); ok && up <= len(f.loc) {
				add(f.loc[:len(f.loc)-up], msg)
				return
			}
		}
		out = append(out, Problem{Path: pointer(e.InstanceLocation), Message: describe(e)})
	}
	walk(root, nil)
	slices.SortFunc(out, comparePaths)
	return slices.Compact(out)
}

// messageFor finds the errorMessage of ptr or of its nearest ancestor
// schema, searching no higher than the parent error's schema (or, when a
// $ref led elsewhere, than the $defs entry holding ptr). up is the number
// of instance levels between that ancestor and ptr.
func (v *Validator) messageFor(ptr, parent string) (msg string, up int, ok bool) {
	limit := parent
	if ptr != parent && !strings.HasPrefix(ptr, parent+"/") {
		limit = defsEntry(ptr)
	}
	for p := ptr; ; p = p[:strings.LastIndexByte(p, '/')] {
		if m, found := v.messages[p]; found {
			return m, instanceLevels(ptr[len(p):]), true
		}
		if p == limit || p == "" {
			return "", 0, false
		}
	}
}

// defsEntry returns the "/$defs/<name>" prefix of ptr, or "" (the root).
func defsEntry(ptr string) string {
	toks := strings.SplitN(ptr, "/", 4)
	if len(toks) >= 3 && toks[1] == "$defs" {
		return "/" + toks[1] + "/" + toks[2]
	}
	return ""
}

// instanceLevels counts how many levels deeper into the instance the
// schema path rest (a JSON pointer suffix) leads.
func instanceLevels(rest string) int {
	toks := strings.Split(strings.TrimPrefix(rest, "/"), "/")
	n := 0
	for i := 0; i < len(toks); i++ {
		switch toks[i] {
		case "properties", "patternProperties", "prefixItems":
			n++
			i++
		case "items", "additionalProperties", "contains", "unevaluatedItems", "unevaluatedProperties", "propertyNames":
			n++
		case "allOf", "anyOf", "oneOf", "dependentSchemas", "$defs":
			i++
		}
	}
	return n
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
		if r := []rune(x); len(r) > 80 {
			x = string(r[:77]) + "..."
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
