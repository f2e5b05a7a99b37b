package verdict

// Event is one event of an OSV ECOSYSTEM range; exactly one field is set.
type Event struct {
	Introduced, Fixed, LastAffected string
}

// InEvents answers whether release v lies in an OSV ECOSYSTEM range, as
// OSV consumers evaluate it (osv-scanner for PyPI): the events in version
// order ("0" first), an introduced event at or below v opens the range, a
// fixed event at or below v closes it, a last_affected event below v closes
// it. ok is false when a version does not parse (the caller must not say
// "not affected" then).
func InEvents(o Order, evs []Event, v string) (in, ok bool) {
	// Evaluate without sorting: v is affected iff some introduced I <= v has
	// no closing event E with I < E (fixed: E <= v; last_affected: E < v),
	// which is the sorted walk's answer.
	for _, e := range evs {
		if e.Introduced == "" {
			continue
		}
		if e.Introduced != "0" {
			c, ok := cmp(o, v, e.Introduced)
			if !ok {
				return false, false
			}
			if c < 0 {
				continue
			}
		}
		closed, ok := closedAfter(o, evs, e.Introduced, v)
		if !ok {
			return false, false
		}
		if !closed {
			return true, true
		}
	}
	return false, true
}

// closedAfter reports whether an event after intro closes the range at or
// before v.
func closedAfter(o Order, evs []Event, intro, v string) (bool, bool) {
	for _, e := range evs {
		end, strict := e.Fixed, false
		if end == "" {
			end, strict = e.LastAffected, true
		}
		if end == "" {
			continue
		}
		if intro != "0" {
			c, ok := cmp(o, end, intro)
			if !ok {
				return false, false
			}
			if c <= 0 {
				continue // an event at or before the introduction closes an earlier range
			}
		}
		c, ok := cmp(o, end, v)
		if !ok {
			return false, false
		}
		if c < 0 || (c == 0 && !strict) {
			return true, true
		}
	}
	return false, true
}

// Judge answers whether the advisory affects release v, as every consumer
// must: a package product's record is judged by its ECOSYSTEM events (evs,
// as OSV scanners judge it; an event that does not parse cannot tell),
// keeping the summary's branch row for the answer; without events, or for
// a product with no package, by the summary (Affects).
func (s Summary) Judge(o Order, pkg bool, evs []Event, v string) Answer {
	ans := s.Affects(o, v)
	if !pkg || !s.Known() || len(evs) == 0 {
		return ans
	}
	in, ok := InEvents(o, evs, v)
	switch {
	case !ok:
		return Answer{Outcome: CannotTell, Source: s.Source}
	case in:
		ans.Outcome = Affected
	default:
		ans.Outcome = NotAffected
	}
	return ans
}
