package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"
)

// modifiedCSV renders modified_id.csv: one "<RFC3339Nano modified>,<name>"
// line per entry, no header, newest first, then by name. The root file names
// records "<ECOSYSTEM>/<ID>", a per-ecosystem file "<ID>".
func modifiedCSV(entries []entry, qualified bool) []byte {
	type line struct {
		mod  time.Time
		name string
	}
	lines := make([]line, len(entries))
	for i, e := range entries {
		name := e.id
		if qualified {
			name = e.ecosystem + "/" + e.id
		}
		lines[i] = line{e.modified, name}
	}
	sort.Slice(lines, func(i, j int) bool {
		if !lines[i].mod.Equal(lines[j].mod) {
			return lines[i].mod.After(lines[j].mod)
		}
		return lines[i].name < lines[j].name
	})
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l.mod.Format(time.RFC3339Nano))
		b.WriteByte(',')
		b.WriteString(l.name)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// ecosystemsTxt lists the ecosystems, one per line, sorted.
func ecosystemsTxt(ecos []string) []byte {
	var b bytes.Buffer
	for _, e := range ecos {
		b.WriteString(e)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// RESTEntry is one element of the REST index.
type RESTEntry struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
}

// writeREST writes one REST index per product, rest/<product>.json: a JSON
// array of {"id","modified"} sorted by ID, modified in RFC 3339 UTC. The
// records themselves are not copied: the REST base URL of a product is its
// advisories/<product>/ directory, where each record is <ID>.json.
func writeREST(root *os.Root, entries []entry) error {
	if err := root.MkdirAll(RESTDir, dirPerm); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	byProduct := map[string][]RESTEntry{}
	for _, e := range entries {
		byProduct[e.product] = append(byProduct[e.product], RESTEntry{ID: e.id, Modified: e.modified.Format(time.RFC3339Nano)})
	}
	for _, p := range sortedKeys(byProduct) {
		b, err := json.MarshalIndent(byProduct[p], "", "  ")
		if err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
		if err := root.WriteFile(RESTIndex(p), append(b, '\n'), filePerm); err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
	}
	return nil
}

// RESTIndex is the path of a product's REST index.
func RESTIndex(product string) string { return RESTDir + "/" + product + ".json" }
