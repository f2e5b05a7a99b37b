// Package lock reads and writes the committed resolution lock of a product
// (advisories/<product>.lock.json): what the resolver computed from the
// product's git tags, so that build needs no clone.
package lock

// Lock is the resolution of every advisory of one product.
type Lock struct {
	// Product is the product name (python, pip).
	Product string `json:"product"`
	// Repo is the repository URL the resolution was computed for.
	Repo string `json:"repo"`
	// Tags is the number of release tags seen.
	Tags int `json:"tags"`
	// TagsDigest is the hex SHA-256 of the sorted "name commit" lines of the
	// release tags seen; it changes when a release is tagged.
	TagsDigest string `json:"tags_digest"`
	// Advisories maps an advisory ID to its resolution.
	Advisories map[string]*Entry `json:"advisories"`
}

// Entry is the resolution of one advisory.
type Entry struct {
	// InputDigest is the hex SHA-256 of the advisory's range inputs
	// (introduced, branches); a different digest means the entry is stale.
	InputDigest string `json:"input_digest"`
	// Fixed lists every fix commit of the exported GIT range: the authored
	// ones and the backports the resolver discovered, in branch order.
	Fixed []Fix `json:"fixed"`
	// Versions are the affected release tags, raw names, in version order.
	Versions []string `json:"versions"`
	// Branches is the per-branch summary, newest branch first ("main" first).
	Branches []BranchResult `json:"branches"`
	// Changed is the RFC 3339 UTC date of the newest tag in Versions or in a
	// branch's FixedIn, as the tagger wrote it: information only, never an
	// input to `modified` (see Entry.ContentDigest).
	Changed string `json:"changed,omitempty"`
	// Warnings are the resolver's findings (for example a maintained branch
	// still unfixed), shown in pull requests.
	Warnings []string `json:"warnings,omitempty"`
}

// Fix is one fix commit and how the resolver knows it.
type Fix struct {
	Commit string `json:"commit"`
	// Branch is the X.Y branch (or "main") the commit belongs to.
	Branch string `json:"branch,omitempty"`
	// Source is "authored", "trailer" (cherry-picked-from trailer), "title"
	// (GH-NNN title reference) or "patch-id".
	Source string `json:"source"`
	// Tag is the first release tag containing the fix on its branch.
	Tag string `json:"tag,omitempty"`
}

// BranchResult is one branch's outcome.
type BranchResult struct {
	Branch string `json:"branch"`
	// Status is one of the release-status table's (StatusNames: fixed,
	// unfixed, not-affected).
	Status        string `json:"status"`
	FirstAffected string `json:"first_affected,omitempty"`
	LastAffected  string `json:"last_affected,omitempty"`
	FixedIn       string `json:"fixed_in,omitempty"`
	FixCommit     string `json:"fix_commit,omitempty"`
}

// Fix sources: how the resolver knows a fix commit.
const (
	SourceAuthored = "authored"
	SourceTrailer  = "trailer"
	SourceTitle    = "title"
	SourcePatchID  = "patch-id"
)
