package gittest

// CPython builds a small repository shaped like CPython's (bare when bare is
// set):
//
//   - main with alphas tagged on it; maintenance branches 3.8 to 3.11 forked
//     from main, annotated and lightweight release tags;
//   - m2 introduces a bug; m7 fixes it on main (squash title "(#123075)");
//   - 3.10: the bot backport b310_2 carries the cherry-pick trailer; the
//     release manager forked b310_rel ("Python 3.10.1", tag v3.10.1) before
//     the backport and merged it back (b310_merge), so v3.10.1 sits on the
//     merge's second parent; v3.10.2 follows the merge;
//   - 3.9: a conflicted manual backport b39_2 with the [3.9] ... (GH-123075)
//     title and no trailer; v3.9.1 follows;
//   - 3.11: the bot backport b311_2 is reverted by b311_3 before v3.11.1;
//   - 3.8: end of life, never backported, its branch deleted: only its tags
//     (v3.8.0a1 on main, v3.8.0, v3.8.1) remain;
//   - a non-release tag legacy-trunk on the root.
func CPython(t TB, dir string, bare bool) *Repo {
	r := New(t, dir, bare)
	r.Commit("m1", "Initial commit")
	r.Tag("legacy-trunk", "m1", false)
	r.Commit("m2", "gh-100: Add the cookie parser (#101)", "m1")
	r.Commit("m3", "gh-102: Unrelated work (#103)", "m2")
	r.Tag("v3.8.0a1", "m3", false)
	r.Commit("b38_1", "Python 3.8.0", "m3")
	r.Tag("v3.8.0", "b38_1", true)
	r.Commit("m4", "gh-104: More work (#105)", "m3")
	r.Commit("b39_1", "Python 3.9.0", "m4")
	r.Tag("v3.9.0", "b39_1", true)
	r.Commit("b38_2", "[3.8] gh-106: Some bug fix (GH-107) (#108)", "b38_1")
	r.Tag("v3.8.1", "b38_2", false)
	r.Commit("m5", "gh-109: Work (#110)", "m4")
	r.Tag("v3.10.0a1", "m5", true)
	r.Commit("b310_1", "Python 3.10.0", "m5")
	r.Tag("v3.10.0", "b310_1", true)
	r.Commit("m6", "gh-111: Work (#112)", "m5")
	r.Tag("v3.11.0a1", "m6", false)
	r.Commit("b311_1", "Python 3.11.0", "m6")
	r.Tag("v3.11.0", "b311_1", true)
	r.Commit("m7", "gh-123067: Fix quadratic parsing of cookies (#123075)", "m6")
	r.Commit("b311_2", "[3.11] gh-123067: Fix quadratic parsing of cookies (GH-123075) (#123104)\n\n(cherry picked from commit "+r.Hex("m7")+")\n\nCo-authored-by: Author <author@example.org>", "b311_1")
	r.Commit("b310_rel", "Python 3.10.1", "b310_1")
	r.Tag("v3.10.1", "b310_rel", true)
	r.Commit("b310_2", "[3.10] gh-123067: Fix quadratic parsing of cookies (GH-123075) (#123103)\n\n(cherry picked from commit "+r.Hex("m7")+")", "b310_1")
	r.Commit("b310_merge", "Merge tag 'v3.10.1' into 3.10", "b310_2", "b310_rel")
	r.Commit("b310_3", "Python 3.10.2", "b310_merge")
	r.Tag("v3.10.2", "b310_3", false)
	r.Commit("b39_2", "[3.9] gh-123067: Fix quadratic parsing of cookies (GH-123075) (#123110)\n\nManual backport: the bot's failed with conflicts.", "b39_1")
	r.Commit("b39_3", "Python 3.9.1", "b39_2")
	r.Tag("v3.9.1", "b39_3", true)
	r.Commit("b311_3", "Revert \"[3.11] gh-123067: Fix quadratic parsing of cookies (GH-123075) (#123104)\"\n\nThis reverts commit "+r.Hex("b311_2")+".", "b311_2")
	r.Commit("b311_4", "Python 3.11.1", "b311_3")
	r.Tag("v3.11.1", "b311_4", true)
	r.Commit("m8", "gh-113: Work (#114)", "m7")
	r.Tag("v3.12.0a1", "m8", true)
	r.Branch("main", "m8")
	r.Branch("3.8", "b38_2")
	r.DeleteBranch("3.8")
	r.Branch("3.9", "b39_3")
	r.Branch("3.10", "b310_3")
	r.Branch("3.11", "b311_4")
	r.Head("main")
	return r
}
