// Package ci holds the tests of the repository's GitHub Actions workflows
// (.github/workflows), its composite action (.github/actions) and its
// pre-commit hooks (.pre-commit-hooks.yaml): actionlint over every workflow,
// and the policies the workflows must keep (no pull_request_target, no
// secrets on pull requests, full mirrors for resolution, one publish at a
// time, least-privilege permissions).
package ci
