package build

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/product"
)

// authoredSources are advisories with no lock: one known by its release
// facts per product, and one with no version data at all.
var authoredSources = map[string]string{
	"python/PSF-2024-20.yaml": `id: PSF-2024-20
published: "2024-08-22T19:15:00Z"
title: Infinite loop in zipfile.Path on crafted names
severity: high
description: Iterating the names of a crafted archive looped forever.
introduced: "0"
branches:
  - branch: main
    fixed: 795f2597a4be988e2bb19b69ff9958e981cb894e
  - branch: "3.8"
    first_affected: "0"
    fixed_in: "3.8.20"
  - branch: "3.13"
    first_affected: 3.13.0a1
    last_affected_in: 3.13.0rc1
`,
	"pip/PSF-2025-8.yaml": `id: PSF-2025-8
published: "2025-09-24T00:00:00Z"
title: Symbolic links followed when extracting source archives
severity: medium
description: Extracting a crafted sdist could write outside its directory.
introduced: "0"
branches:
  - branch: main
    first_affected: "0"
    fixed_in: "25.3"
`,
	"python/PSF-2024-21.yaml": `id: PSF-2024-21
published: "2024-08-22T19:15:00Z"
title: Known by its fix commit only
severity: low
description: x
introduced: "0"
branches:
  - branch: main
    fixed: 795f2597a4be988e2bb19b69ff9958e981cb894e
`,
}

// TestAuthoredRecords: without a lock, records take their per-branch
// summary (and a package's ECOSYSTEM range) from the authored facts and say
// so; an advisory with neither is built, marked unknown, and warned about.
func TestAuthoredRecords(t *testing.T) {
	root := t.TempDir()
	writeFile(t, product.ConfigPath(root), mustRead(t, productsFile))
	for name, src := range authoredSources {
		writeFile(t, filepath.Join(root, "advisories", name), []byte(src))
	}
	recs, warns, err := Records(root, now)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range recs {
		got[r.Vuln.ID] = string(r.JSON)
	}
	for id, want := range map[string][]string{
		"PSF-2024-20": {`"versions_source": "authored"`, `"first_affected": "3.13.0a1",
        "last_affected": "3.13.0rc1"`, `"fixed_in": "3.8.20"`},
		"PSF-2025-8":  {`"versions_source": "authored"`, `"type": "ECOSYSTEM",`, `"fixed": "25.3"`},
		"PSF-2024-21": {`"versions_source": "unknown"`},
	} {
		for _, w := range want {
			if !strings.Contains(got[id], w) {
				t.Errorf("%s lacks %s:\n%s", id, w, got[id])
			}
		}
	}
	if strings.Contains(got["PSF-2024-21"], `"branches"`) {
		t.Error("an unknown advisory has a per-branch summary")
	}
	var v struct {
		DatabaseSpecific map[string]json.RawMessage `json:"database_specific"`
	}
	if err := json.Unmarshal([]byte(got["PSF-2024-20"]), &v); err != nil || len(v.DatabaseSpecific["branches"]) == 0 {
		t.Fatalf("PSF-2024-20: %v", err)
	}
	var msgs []string
	for _, w := range warns {
		msgs = append(msgs, w.String())
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, "PSF-2024-21 has no version data") || strings.Contains(all, "PSF-2024-20 has no") {
		t.Errorf("warnings:\n%s", all)
	}
	for _, w := range warns {
		// The warning points at the advisory's branches key, not at 1:1,
		// and says what publishing such a record would do.
		if strings.Contains(w.Message, "PSF-2024-21 has no version data") && (w.Line <= 1 || !strings.Contains(w.Message, "publish refuses it")) {
			t.Errorf("unknown-versions warning at %d:%d: %s", w.Line, w.Col, w.Message)
		}
	}
}
