package e2e

import "syscall"

// sysProcAttr puts a component in its own process group and kills it when the thread that
// started it (and so the test process) dies without stopping it.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
