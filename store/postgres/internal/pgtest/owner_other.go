//go:build !unix

package pgtest

import "os/exec"

func prepareOwner(string) error { return nil }

func asOwner(*exec.Cmd) {}
