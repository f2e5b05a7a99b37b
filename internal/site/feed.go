package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"time"
)

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Sub     string      `xml:"subtitle"`
	Updated string      `xml:"updated"`
	Author  atomAuthor  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomAuthor struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published,omitempty"`
	Links     []atomLink `xml:"link"`
	Category  []atomCat  `xml:"category"`
	Summary   atomText   `xml:"summary"`
	Content   atomText   `xml:"content"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// renderFeed writes the Atom 1.0 feed: the newest advisories by published
// time, newest first; updated is the newest modified time, never the clock.
func renderFeed(views []*advSummary, opts Options) ([]byte, error) {
	base := opts.BaseURL
	f := atomFeed{
		ID:     base + FeedFile,
		Title:  "Python security advisories",
		Sub:    "Security advisories for CPython and pip from the Python Security Response Team",
		Author: atomAuthor{Name: "Python Security Response Team", URI: "https://www.python.org/dev/security/"},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + FeedFile},
			{Rel: "alternate", Type: "text/html", Href: base + IndexPage},
		},
		Updated: "1970-01-01T00:00:00Z",
	}
	for _, v := range views {
		if v.Modified > f.Updated && validTime(v.Modified) {
			f.Updated = v.Modified
		}
	}
	newest := append([]*advSummary(nil), views...) // views are already newest first
	sort.SliceStable(newest, func(i, j int) bool { return newest[i].Published > newest[j].Published })
	if len(newest) > opts.FeedEntries {
		newest = newest[:opts.FeedEntries]
	}
	for _, v := range newest {
		f.Entries = append(f.Entries, feedEntry(v, base))
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("site: encoding %s: %w", FeedFile, err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func feedEntry(v *advSummary, base string) atomEntry {
	title := v.ID + ": " + v.Title
	if v.Withdrawn != "" {
		title = "[Withdrawn] " + title
	}
	summary := v.SeverityLabel + " severity, " + v.ProductTitle
	for _, c := range v.CVEs {
		summary += ", " + c
	}
	e := atomEntry{
		ID:      base + v.href(),
		Title:   title,
		Updated: orDefault(timeOr(v.Modified), "1970-01-01T00:00:00Z"),
		Links: []atomLink{
			{Rel: "alternate", Type: "text/html", Href: base + v.href()},
			{Rel: "related", Type: "application/json", Href: base + v.jsonHref()},
		},
		Category: []atomCat{{Term: v.Severity}, {Term: v.Product}},
		Summary:  atomText{Type: "text", Body: summary},
		Content:  atomText{Type: "html", Body: string(renderMarkdown(v.description))},
	}
	if validTime(v.Published) {
		e.Published = v.Published
	}
	return e
}

func timeOr(s string) string {
	if validTime(s) {
		return s
	}
	return ""
}

func validTime(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}
