package ids

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/scaffold"
)

// Assignment is one placeholder renamed.
type Assignment struct {
	Product  string
	From, To string // IDs
	OldPath  string
	NewPath  string
}

// Assign gives every placeholder advisory under root its final ID, in
// order of publication (then placeholder ID), renames its file, rewrites
// the id inside it, renames its entry in the product's resolution lock and
// records the numbers in the counter file. With no placeholder it changes
// nothing. A database with load errors or duplicate IDs is refused.
func Assign(root string) ([]Assignment, error) {
	cfg, err := product.Load(root)
	if err != nil {
		return nil, err
	}
	release, err := acquire(root)
	if err != nil {
		return nil, err
	}
	defer release()
	as, ds := advisory.LoadAll(root, cfg)
	ds = append(ds, advisory.Unique(as)...)
	if ds.HasErrors() {
		ds.Sort()
		return nil, diag.ListError(ds)
	}
	counter, err := ReadCounter(root)
	if err != nil {
		return nil, err
	}
	plan, err := planAssignments(as, counter, time.Now().UTC())
	if err != nil || len(plan) == 0 {
		return nil, err
	}
	for _, p := range plan {
		if err := rename(p.adv, p.Assignment); err != nil {
			return nil, err
		}
	}
	if err := renameLocks(root, cfg, plan); err != nil {
		return nil, err
	}
	out := make([]Assignment, len(plan))
	for i, p := range plan {
		out[i] = p.Assignment
	}
	return out, counter.write(root)
}

type planned struct {
	Assignment
	adv *advisory.Advisory
}

// planAssignments numbers the placeholders: per year, after the larger of
// the counter and the highest number in use (withdrawn advisories count).
func planAssignments(as []*advisory.Advisory, c *Counter, now time.Time) ([]planned, error) {
	next := map[int]int{}
	for y, n := range c.Last {
		next[y] = n
	}
	var todo []*advisory.Advisory
	for _, a := range as {
		if msg := rule.IDProblem(a.ID); msg != "" {
			p := a.Pos.Of("id")
			return nil, fmt.Errorf("%s:%d:%d: %s", a.Path, p.Line, p.Col, msg)
		}
		if y, n, ok := rule.ParseID(a.ID); ok {
			next[y] = max(next[y], n)
		} else if advisory.IsPlaceholder(a.ID) {
			todo = append(todo, a)
		}
	}
	sort.SliceStable(todo, func(i, j int) bool {
		if todo[i].Published != todo[j].Published {
			return todo[i].Published < todo[j].Published
		}
		return todo[i].ID < todo[j].ID
	})
	var plan []planned
	trail := map[int][]string{}
	for _, a := range todo {
		year, err := publishedYear(a, now)
		if err != nil {
			return nil, err
		}
		if next[year] >= rule.MaxIDNumber {
			return nil, fmt.Errorf("%s: no ID number is left in %d (%d is the largest ID number); check advisories/ids.txt and the highest PSF-%d-N in use", a.Path, year, rule.MaxIDNumber, year)
		}
		next[year]++
		id := fmt.Sprintf("PSF-%d-%d", year, next[year])
		plan = append(plan, planned{adv: a, Assignment: Assignment{Product: a.Product, From: a.ID, To: id,
			OldPath: a.Path, NewPath: filepath.Join(filepath.Dir(a.Path), id+".yaml")}})
		trail[year] = append(trail[year], id+"<-"+a.Product+"/"+a.ID)
	}
	for y, t := range trail {
		c.Last[y], c.Trail[y] = next[y], strings.Join(t, " ")
	}
	return plan, nil
}

func publishedYear(a *advisory.Advisory, now time.Time) (int, error) {
	p := a.Pos.Of("published")
	t, err := rule.ParseTime(a.Published)
	if err != nil {
		return 0, fmt.Errorf("%s:%d:%d: published %q is not an RFC 3339 time; the ID is numbered by the year of publication, so fill it in first", a.Path, p.Line, p.Col, a.Published)
	}
	if msg := rule.DateProblem(t, now); msg != "" {
		return 0, fmt.Errorf("%s:%d:%d: published %s %s; the ID is numbered by the year of publication, so correct the date first", a.Path, p.Line, p.Col, a.Published, msg)
	}
	return t.UTC().Year(), nil
}

// rename writes the source under its new name with the new id and removes
// the placeholder file. Only the id value changes; the rest of the file is
// kept byte for byte.
func rename(a *advisory.Advisory, as Assignment) error {
	data, err := os.ReadFile(as.OldPath)
	if err != nil {
		return err
	}
	out, err := replaceID(data, a.Pos.Of("id"), as.From, as.To)
	if err != nil {
		return fmt.Errorf("%s: %v", as.OldPath, err)
	}
	// The scaffold's instructions ("replace every TODO ... assign-ids gives
	// the final ID") are done once the ID is final.
	out = scaffold.StripHeader(out)
	if na, ds := advisory.Parse(as.NewPath, as.Product, out); ds.HasErrors() || na.ID != as.To {
		return fmt.Errorf("%s: the renamed source does not load: %v", as.NewPath, ds)
	}
	f, err := os.OpenFile(as.NewPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; %s cannot take the ID %s (is the counter %s behind?)", as.NewPath, as.OldPath, as.To, "advisories/ids.txt")
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(out); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Remove(as.OldPath)
}

// replaceID swaps the id value at its position in the source.
func replaceID(data []byte, pos advisory.Position, from, to string) ([]byte, error) {
	lines := advisory.SplitLines(string(data))
	if pos.Line < 1 || pos.Line > len(lines) {
		return nil, fmt.Errorf("id position %d:%d is outside the file", pos.Line, pos.Col)
	}
	line := lines[pos.Line-1]
	start := len(string([]rune(line)[:min(max(pos.Col-1, 0), len([]rune(line)))]))
	i := strings.Index(line[start:], from)
	if i < 0 {
		return nil, fmt.Errorf("line %d does not hold the id %s", pos.Line, from)
	}
	lines[pos.Line-1] = line[:start+i] + to + line[start+i+len(from):]
	return []byte(strings.Join(lines, "")), nil
}

// renameLocks moves resolution entries from placeholder IDs to the new IDs
// (the range inputs do not change, so the entries stay valid).
func renameLocks(root string, cfg product.Config, plan []planned) error {
	for _, name := range cfg.Names() {
		if _, err := os.Stat(lock.Path(root, name)); err != nil {
			continue
		}
		l, err := lock.Read(root, name)
		if err != nil {
			return err
		}
		changed := false
		for _, p := range plan {
			if e, ok := l.Advisories[p.From]; ok && p.Product == name {
				delete(l.Advisories, p.From)
				l.Advisories[p.To] = e
				changed = true
			}
		}
		if changed {
			if err := lock.Write(root, l); err != nil {
				return err
			}
		}
	}
	return nil
}
