package publish

import (
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// installHTTPS makes go-git's https transport (process-wide: go-git keeps
// one per scheme) refuse a redirect that leaves the configured remote's
// origin. go-git follows the first request's redirects by default and
// pushes wherever they lead; publishing must land where --remote says,
// or nowhere.
var installHTTPS = sync.OnceFunc(func() {
	c := &http.Client{Transport: http.DefaultTransport, CheckRedirect: sameOrigin}
	client.InstallProtocol("https", githttp.NewClientWithOptions(c, &githttp.ClientOptions{CacheMaxEntries: 8}))
})

// sameOrigin refuses a redirect hop to another scheme, host or port than
// the first request's. The error names the target's origin only (a path or
// query could carry anything).
func sameOrigin(req *http.Request, via []*http.Request) error {
	if len(via) == 0 || req.URL == nil || via[0].URL == nil {
		return nil
	}
	from, to := via[0].URL, req.URL
	if strings.EqualFold(from.Scheme, to.Scheme) && strings.EqualFold(from.Host, to.Host) {
		return nil
	}
	return fmt.Errorf("the remote redirected to another host (%s://%s); publish follows no redirect off the configured remote's host: give the repository's final URL as --remote",
		to.Scheme, to.Host)
}
