package plaintext

import "strconv"

// Count is n with the noun in the number n takes: "1 record",
// "2 records", "0 advisories".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
