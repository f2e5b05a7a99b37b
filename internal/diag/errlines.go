package diag

import (
	"errors"
	"fmt"
	"io"
)

// MultiLine is an error whose message is several lines of the program's
// own making: a head line and items. Each item is one line of text that
// may hold untrusted values (a file name, a URL) and so may itself hold a
// newline; WriteError escapes it as a whole.
type MultiLine interface {
	error
	Lines() (head string, items []string)
}

// itemLead starts every item line. It is not blank, so a line of an error
// never starts, even after leading spaces are trimmed, with text of an
// item (a forged "::error" workflow command or "##[" log command).
const itemLead = "  - "

// ItemLead joins the items of a MultiLine message in its Error text, so
// the text and the printed form agree.
const ItemLead = "\n" + itemLead

// WriteError prints err after prefix (the program's name and a colon).
// Every line it writes starts with prefix or with "  - " and holds no
// control character: a MultiLine error (not wrapped in added text) keeps
// its line breaks, one escaped item per line; any other message is
// escaped whole onto one line.
func WriteError(w io.Writer, prefix string, err error) {
	var ml MultiLine
	if errors.As(err, &ml) && ml.Error() == err.Error() {
		head, items := ml.Lines()
		fmt.Fprintln(w, prefix, Escape(head))
		for _, it := range items {
			fmt.Fprintln(w, itemLead+Escape(it))
		}
		return
	}
	fmt.Fprintln(w, prefix, Escape(err.Error()))
}
