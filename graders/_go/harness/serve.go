package main

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// dbAddr is where the trusted prober serves the database (db_server.py).
const dbAddr = "127.0.0.1:39519"

// serve runs the answer's server in its working directory until it exits
// (the sandbox ends it after the prober is done). Its stdout and stderr are
// ours: gradebox captures them for the report.
func serve(cfg config, binary, runDir string) event {
	cmd := exec.Command(binary)
	cmd.Dir = runDir
	cmd.Env = append([]string{
		"PATH=/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8",
		"GBX_DB_ADDR=" + dbAddr,
	}, cfg.Env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, os.Stdout, os.Stderr
	// The channel is close-on-exec, so the server never holds it; /dev/null
	// in its place makes a forger's writes to "fd 3" land nowhere, instead of
	// in whatever socket the server opened first.
	if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		defer null.Close()
		cmd.ExtraFiles = []*os.File{null}
	}
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

// dbWait bounds how long the server's start waits for the database.
const dbWait = 10 * time.Second

// waitForDatabase returns once the prober's database server accepts
// connections, so the answer starts only after the port is the grader's:
// an answer that bound it first could serve its own database and counts.
func waitForDatabase() (time.Duration, bool) {
	started := time.Now()
	for time.Since(started) < dbWait {
		if conn, err := net.DialTimeout("tcp", dbAddr, time.Second); err == nil {
			conn.Close()
			return time.Since(started), true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(started), false
}
