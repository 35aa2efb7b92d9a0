package main

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

const controlAddr = "127.0.0.1:39517"

// serve runs the answer's server in the seeded directory until it exits
// (the sandbox ends it after the prober is done). Its stdout and stderr are
// ours: gradebox captures them for the report.
func serve(cfg config, binary, runDir, db string) event {
	cmd := exec.Command(binary)
	cmd.Dir = runDir
	cmd.Env = append([]string{
		"PATH=/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8",
		"GBX_SQLITE_DB=" + db, "GBX_CONTROL_ADDR=" + controlAddr,
	}, cfg.Env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, os.Stdout, os.Stderr
	err := cmd.Run()
	result := event{"event": "server_exit", "code": 0}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		result["code"] = exitErr.ExitCode()
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			result["signal"] = int(ws.Signal())
		}
	} else if err != nil {
		result["code"] = -1
		result["error"] = err.Error()
	}
	return result
}
