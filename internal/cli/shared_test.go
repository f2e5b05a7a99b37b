package cli

import (
	"testing"

	"github.com/psf/advisory-builder/internal/testenv"
)

func sharedDir(t *testing.T) string { return testenv.SharedDir(t) }
