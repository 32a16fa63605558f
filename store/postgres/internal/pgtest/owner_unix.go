//go:build unix

package pgtest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
)

// owner is the user the cluster runs as when the tests run as root.
var owner *syscall.Credential

// prepareOwner makes dir belong to "nobody" when running as root, since
// PostgreSQL refuses to run as root.
func prepareOwner(dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return fmt.Errorf("running as root and no user nobody to own the cluster: %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("user nobody has ids %q/%q", u.Uid, u.Gid)
	}
	if err := os.Chown(dir, int(uid), int(gid)); err != nil {
		return err
	}
	owner = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	return nil
}

func asOwner(cmd *exec.Cmd) {
	if owner != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: owner}
		cmd.Env = append(os.Environ(), "HOME="+cmd.Dir)
	}
}
