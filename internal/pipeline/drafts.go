package pipeline

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/psf/advisory-builder/internal/announce"
	"github.com/psf/advisory-builder/internal/cverecord"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/osv"
)

// Draft is the announcement e-mail and the CVE record of an advisory the
// newest commit of the published branch added (this run's push, or the
// push of a run that died before making its drafts). Skipped says why there is none (an
// advisory without a CVE alias has neither yet).
type Draft struct {
	ID      string
	Email   string
	CVE     []byte
	Skipped string
}

// drafts makes the drafts of the records the newest published commit
// added, derived from the remote's state so a re-run after a crash makes
// the same drafts again, writes them into
// dir (<ID>.email.txt, <ID>.cve.json) when dir is set, and fails on any
// error other than a missing CVE alias: nothing is swallowed.
func drafts(o *Options, rep *Report, dir string) error {
	if rep.Published == nil {
		return nil
	}
	for _, id := range rep.Published.HeadAdded {
		rec := recordOf(rep.Records, id)
		if rec == nil {
			return fmt.Errorf("drafts: %s was published but is not in the build", id)
		}
		d, err := draft(rec)
		if err != nil {
			return fmt.Errorf("drafts of %s: %w", id, err)
		}
		rep.Drafts = append(rep.Drafts, d)
		if err := writeDraft(dir, d); err != nil {
			return err
		}
	}
	return nil
}

// checkDrafts makes the drafts of the records a publish would add, before
// it commits or pushes anything: an advisory whose CVE record cannot be
// made (what `advisory cve` refuses) stops the run before it publishes,
// instead of failing the run in the drafts step after it has.
func checkDrafts(o *Options, recs []*osv.Record, added []string) error {
	var problems []string
	for _, id := range added {
		rec := recordOf(recs, id)
		if rec == nil {
			continue // not a record of this build: the guards saw it
		}
		if _, err := draft(rec); err != nil {
			problems = append(problems, fmt.Sprintf("drafts of %s: %v", id, err))
		}
	}
	for _, p := range problems {
		fmt.Fprintf(o.Log, "error: %s\n", diag.Escape(p))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %d new advisories cannot make their CVE record or e-mail (above); nothing was published: correct the sources so `advisory cve` accepts them", ErrFindings, len(problems))
	}
	return nil
}

func draft(rec *osv.Record) (Draft, error) {
	d := Draft{ID: rec.Vuln.ID}
	if _, err := rec.Advisory.CVE(); err != nil {
		d.Skipped = err.Error()
		return d, nil
	}
	if w := rec.Advisory.Withdrawn; w != "" {
		d.Skipped = "withdrawn on " + w + ": nothing to announce"
		return d, nil
	}
	var err error
	if d.Email, err = announce.Email(rec); err != nil {
		return d, err
	}
	r, err := cverecord.FromRecord(rec)
	if err != nil {
		return d, err
	}
	d.CVE, err = cverecord.Marshal(r)
	return d, err
}

func writeDraft(dir string, d Draft) error {
	if dir == "" || d.Skipped != "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, d.ID+".email.txt"), []byte(d.Email), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, d.ID+".cve.json"), d.CVE, 0o644)
}

func recordOf(recs []*osv.Record, id string) *osv.Record {
	for _, r := range recs {
		if r.Vuln.ID == id {
			return r
		}
	}
	return nil
}
