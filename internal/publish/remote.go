package publish

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// checkRemote validates the remote and returns the form go-git is given:
// https and file URLs as they are, a plain path made absolute.
func checkRemote(remote string) (string, error) {
	if remote == "" {
		return "", &UsageError{Msg: "--remote is required: an https:// URL, a file:// URL or a local path"}
	}
	scheme, _, hasScheme := strings.Cut(remote, "://")
	if !hasScheme {
		if looksLikeSCP(remote) {
			return "", &UsageError{Msg: "the remote looks like an ssh address (user@host:path): use an https:// URL with the token in $" + TokenEnv + ", a file:// URL or a local path"}
		}
		abs, err := filepath.Abs(remote)
		if err != nil {
			return "", &UsageError{Msg: fmt.Sprintf("remote path: %v", err)}
		}
		return abs, nil
	}
	u, err := url.Parse(remote)
	if err != nil {
		// The message of url.Parse quotes the URL, which may hold a secret.
		return "", &UsageError{Msg: "the remote URL does not parse: give https://host/owner/repo, file:///path or a local path"}
	}
	if u.User != nil {
		return "", &UsageError{Msg: "the remote URL carries user info (user[:password]@host): remove it and pass the token in $" + TokenEnv}
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", &UsageError{Msg: "the remote URL has a query or fragment: give a plain https://host/owner/repo"}
	}
	switch strings.ToLower(scheme) {
	case "https":
		if u.Host == "" {
			return "", &UsageError{Msg: "the https remote URL has no host"}
		}
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return "", &UsageError{Msg: "a file:// remote must be file:///absolute/path"}
		}
	default:
		return "", &UsageError{Msg: fmt.Sprintf("remote scheme %q is not supported: use https://, file:// or a local path", scheme)}
	}
	return remote, nil
}

// looksLikeSCP reports the user@host:path form git treats as ssh.
func looksLikeSCP(s string) bool {
	colon := strings.Index(s, ":")
	slash := strings.Index(s, "/")
	return colon > 0 && (slash < 0 || colon < slash) && filepath.VolumeName(s) == ""
}

// TokenEnv is the environment variable the CLI reads the push token from.
const TokenEnv = "ADVISORY_PUSH_TOKEN"

// packWindow is the delta window of the pack a push sends. go-git keeps
// every object of the window in memory while it searches for deltas; with
// no search, a first publish of 100,000 records needs a fraction of the
// memory, and the server compresses the repository its own way anyway.
var packWindow = uint(0)

// session is one publish run's temporary bare repository and remote.
type session struct {
	repo   *git.Repository
	url    string
	branch plumbing.ReferenceName // refs/heads/<branch>
	track  plumbing.ReferenceName // refs/remotes/origin/<branch>
	auth   transport.AuthMethod
	ca     []byte
}

func openSession(dir, remote, branch, token string, ca []byte) (*session, error) {
	installHTTPS()
	repo, err := git.PlainInit(dir, true)
	if err != nil {
		return nil, fmt.Errorf("creating the temporary repository in %s: %w", dir, err)
	}
	if _, err := repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{remote}}); err != nil {
		return nil, fmt.Errorf("configuring the remote: %w", err)
	}
	cfg, err := repo.Config()
	if err != nil {
		return nil, fmt.Errorf("reading the temporary repository's config: %w", err)
	}
	cfg.Pack.Window = packWindow
	if err := repo.SetConfig(cfg); err != nil {
		return nil, fmt.Errorf("configuring the temporary repository: %w", err)
	}
	s := &session{
		repo:   repo,
		url:    remote,
		branch: plumbing.NewBranchReferenceName(branch),
		track:  plumbing.NewRemoteReferenceName("origin", branch),
		ca:     ca,
	}
	if token != "" && strings.HasPrefix(strings.ToLower(remote), "https://") {
		s.auth = &githttp.BasicAuth{Username: pushUser, Password: token}
	}
	return s, nil
}

// fetch brings the published branch into the temporary repository and
// returns its head, or the zero hash when the remote is empty or has no such
// branch yet.
func (s *session) fetch(ctx context.Context) (plumbing.Hash, error) {
	spec := config.RefSpec(fmt.Sprintf("+%s:%s", s.branch, s.track))
	err := s.repo.FetchContext(ctx, &git.FetchOptions{
		RemoteName: "origin",
		RefSpecs:   []config.RefSpec{spec},
		Auth:       s.auth,
		CABundle:   s.ca,
		Tags:       git.NoTags,
	})
	switch {
	case err == nil, errors.Is(err, git.NoErrAlreadyUpToDate):
	case errors.Is(err, transport.ErrEmptyRemoteRepository), errors.Is(err, git.NoMatchingRefSpecError{}):
		return plumbing.ZeroHash, nil
	default:
		return plumbing.ZeroHash, fmt.Errorf("fetching %s from %s: %w", s.branch.Short(), s.url, err)
	}
	ref, err := s.repo.Reference(s.track, true)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("reading the fetched %s: %w", s.branch.Short(), err)
	}
	return ref.Hash(), nil
}

// push sends commit as the new head of the branch. It never forces: the
// remote accepts it only as a fast-forward of what it holds.
func (s *session) push(ctx context.Context, commit plumbing.Hash, progress interface{ Write([]byte) (int, error) }) error {
	if err := s.repo.Storer.SetReference(plumbing.NewHashReference(s.branch, commit)); err != nil {
		return fmt.Errorf("setting the local branch: %w", err)
	}
	spec := config.RefSpec(fmt.Sprintf("%s:%s", s.branch, s.branch))
	err := s.repo.PushContext(ctx, &git.PushOptions{
		RemoteName: "origin",
		RefSpecs:   []config.RefSpec{spec},
		Auth:       s.auth,
		CABundle:   s.ca,
		Progress:   progress,
	})
	if err != nil {
		return fmt.Errorf("pushing %s to %s: %w", s.branch.Short(), s.url, err)
	}
	return nil
}
