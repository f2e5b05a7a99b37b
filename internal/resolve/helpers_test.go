package resolve

// Released reports whether some release tag contains commit c (a commit on
// no release's history cannot make any release affected or fixed).
func (r *Resolver) Released(c uint32) bool {
	row := r.reach.tipsOf(c)
	for t := range r.tags {
		if row.has(t) {
			return true
		}
	}
	return false
}
