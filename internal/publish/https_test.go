package publish

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const testToken = "ghs_S3cr3tT0k3nV4lu3_for_tests_only"

// gitServer serves bare repositories under a directory over HTTPS on the
// loopback address with git http-backend, requiring basic auth user
// x-access-token and password want (none when want is empty).
func gitServer(t *testing.T, want string) (base string, reposDir string, ca []byte) {
	t.Helper()
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Fatalf("git --exec-path: %v (git is required: the tests use it as the oracle)", err)
	}
	backend := filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend")
	if _, err := os.Stat(backend); err != nil {
		t.Fatalf("git http-backend not found: %v (it ships with git)", err)
	}
	reposDir = t.TempDir()
	cgiHandler := &cgi.Handler{
		Path: backend,
		Env:  []string{"GIT_PROJECT_ROOT=" + reposDir, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1"},
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if want != "" && (!ok || user != pushUser || pass != want) {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		cgiHandler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ca = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	return srv.URL, reposDir, ca
}

func httpsRemote(t *testing.T, reposDir string) string {
	t.Helper()
	dir := filepath.Join(reposDir, "advisories.git")
	gitOut(t, reposDir, "init", "--quiet", "--bare", "--initial-branch=main", dir)
	gitOut(t, dir, "config", "http.receivepack", "true")
	return dir
}

func TestHTTPSPublishWithToken(t *testing.T) {
	base, repos, ca := gitServer(t, testToken)
	remote := httpsRemote(t, repos)
	var log strings.Builder
	o := Options{Dir: outputDir(t, db(3, "2024-06-01T00:00:00Z")), Remote: base + "/advisories.git", Token: testToken, CABundle: ca, Log: &log}
	res, err := Publish(context.Background(), o)
	if err != nil {
		t.Fatalf("Publish over https: %v", err)
	}
	if res.Commit == "" || head(t, remote) != res.Commit {
		t.Fatalf("remote head %q, result %+v", head(t, remote), res)
	}
	res, err = Publish(context.Background(), o)
	if err != nil || res.Commit != "" {
		t.Fatalf("republish over https = %+v, %v; want unchanged", res, err)
	}
	if strings.Contains(log.String(), testToken) {
		t.Fatalf("the log holds the token:\n%s", log.String())
	}
}

// TestTokenNeverPrinted makes runs fail in ways that could carry the token:
// a wrong token, and a server hook that echoes it back. Neither the error nor
// the log may hold it.
func TestTokenNeverPrinted(t *testing.T) {
	t.Run("rejected token", func(t *testing.T) {
		base, repos, ca := gitServer(t, "another-token")
		remote := httpsRemote(t, repos)
		var log strings.Builder
		_, err := Publish(context.Background(), Options{Dir: outputDir(t, db(2, "2024-06-01T00:00:00Z")),
			Remote: base + "/advisories.git", Token: testToken, CABundle: ca, Log: &log})
		if err == nil {
			t.Fatal("a wrong token was accepted")
		}
		checkNoToken(t, err, log.String())
		if head(t, remote) != "" {
			t.Fatal("the remote moved")
		}
	})
	t.Run("server echoes the token", func(t *testing.T) {
		remote := refusedByHook(t, "echo 'refusing push authenticated by "+testToken+"' >&2", "refusing push authenticated by ***")
		if head(t, remote) != "" {
			t.Fatal("the remote moved")
		}
	})
	t.Run("token in the URL", func(t *testing.T) {
		_, err := Publish(context.Background(), Options{Dir: t.TempDir(), Remote: "https://x-access-token:" + testToken + "@github.com/psf/advisories.git"})
		var usage *UsageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), "carries user info") {
			t.Fatalf("Publish = %v, want a usage error", err)
		}
		checkNoToken(t, err, "")
	})
}

func checkNoToken(t *testing.T, err error, log string) {
	t.Helper()
	for _, s := range []string{err.Error(), log} {
		if strings.Contains(s, testToken) || strings.Contains(s, "UzNjcjN0VDBr") {
			t.Fatalf("output holds the token:\n%s", s)
		}
	}
}

func TestCheckRemote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://github.com/psf/advisory-database", ""},
		{"file:///srv/git/advisories.git", ""},
		{"relative/path.git", ""},
		{"", "--remote is required"},
		{"https://user@github.com/psf/x", "carries user info"},
		{"https://github.com/psf/x?token=abc", "query or fragment"},
		{"http://github.com/psf/x", `scheme "http" is not supported`},
		{"ssh://git@github.com/psf/x", "carries user info"},
		{"git@github.com:psf/x.git", "looks like an ssh address"},
		{"file://host/srv/x", "file:///absolute/path"},
		{"https:///x", "has no host"},
	} {
		_, err := checkRemote(tc.in)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("checkRemote(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestScrub(t *testing.T) {
	s := secret("a/b+c")
	for _, in := range []string{"a/b+c", "a%2Fb%2Bc", "eC1hY2Nlc3MtdG9rZW46YS9iK2M="} {
		if got := s.scrub("x " + in + " y"); got != "x *** y" {
			t.Errorf("scrub(%q) = %q", in, got)
		}
	}
	if got := secret("").scrub("nothing"); got != "nothing" {
		t.Errorf("empty secret scrubbed %q", got)
	}
}

func TestBadBranch(t *testing.T) {
	for _, b := range []string{"main:other", "../x", "a..b", "-x", "x.lock", "a b"} {
		_, err := Publish(context.Background(), Options{Dir: t.TempDir(), Remote: t.TempDir(), Branch: b})
		var usage *UsageError
		if !errors.As(err, &usage) {
			t.Errorf("--branch %q: %v, want a usage error", b, err)
		}
	}
}

// refusedByHook publishes over HTTPS to a remote whose pre-receive hook
// runs script and refuses; the refusal must be reported, the token never
// shown whole, and the output must hold want (the server's words,
// scrubbed). It returns the remote's directory.
func refusedByHook(t *testing.T, script, want string) string {
	t.Helper()
	base, repos, ca := gitServer(t, testToken)
	remote := httpsRemote(t, repos)
	hook := "#!/bin/sh\ncat >/dev/null\n" + script + "\nexit 1\n"
	if err := os.WriteFile(filepath.Join(remote, "hooks", "pre-receive"), []byte(hook), 0o755); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	_, err := Publish(context.Background(), Options{Dir: outputDir(t, db(2, "2024-06-01T00:00:00Z")),
		Remote: base + "/advisories.git", Token: testToken, CABundle: ca, Log: &log})
	if err == nil {
		t.Fatal("the hook's refusal was not reported")
	}
	checkNoToken(t, err, log.String())
	if !strings.Contains(log.String()+err.Error(), want) {
		t.Errorf("the server's message was not passed on, scrubbed:\nerr: %v\nlog: %s", err, log.String())
	}
	return remote
}

// TestRedirectToAnotherHost: the configured remote answers with a redirect
// to another origin (a compromised or misconfigured server, or a moved
// repository). Publish follows no redirect off the configured host: the
// other server never hears from it, nothing is pushed, and the error names
// where it was sent.
func TestRedirectToAnotherHost(t *testing.T) {
	base, repos, ca := gitServer(t, "") // it takes any push
	httpsRemote(t, repos)
	// front redirects every request to the git server (another port:
	// another origin), which would accept the push.
	front := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, base+r.URL.Path+"?"+r.URL.RawQuery, http.StatusFound)
	}))
	t.Cleanup(front.Close)
	var log strings.Builder
	_, err := Publish(context.Background(), Options{Dir: outputDir(t, db(2, "2024-06-01T00:00:00Z")),
		Remote: front.URL + "/advisories.git", Token: testToken, CABundle: ca, Log: &log})
	if err == nil || !strings.Contains(err.Error(), "redirected to another host") || !strings.Contains(err.Error(), base) {
		t.Fatalf("Publish through a cross-host redirect = %v, want a refusal naming %s", err, base)
	}
	checkNoToken(t, err, log.String())
	if h := head(t, filepath.Join(repos, "advisories.git")); h != "" {
		t.Fatalf("the redirect target was published to: %s", h)
	}
}
