// gbgo is the sandboxed harness for Go server answers. Theory of operation:
//
//	gbgo (this process, pid 1's child inside the sandbox)
//	  ├─ reports on fd 3 (the result channel) and on a loopback status port
//	  ├─ lays the answer out in /tmp/build, completing a handler-only answer
//	  ├─ refuses sources that could reach past the public driver (unsafe,
//	  │  cgo, internal packages) with an "unsupported" verdict
//	  ├─ compiles it against the standard library and the public driver
//	  │  only, and links it (no go command: its package loading alone costs
//	  │  more than compiling the answer)
//	  └─ runs the server without fd 3, and waits for it
//
// Trust: gbgo is the observer. It is not dumpable and keeps fd 3
// close-on-exec, so the answer's server (same uid, a child) can neither
// inherit the channel nor open /proc/<gbgo>/fd or /mem; what crosses from
// the answer to gbgo is only its exit status. The facts that decide
// verdicts are not made here: the trusted prober, outside the sandbox,
// sends the HTTP requests and serves the database (review_go's
// db_server.py), so connection, statement and result-set counts are made
// where the answer cannot write. The driver the answer links is a thin
// client of that server. gbgo never decides pass or fail.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

func main() {
	// Order matters: protect the channel before anything of the answer exists.
	protectChannel()
	out := openChannel()
	out.send(event{"event": "start"})
	status := startStatusPort()
	inputsPath := "/box/inputs.json"
	if len(os.Args) > 1 {
		inputsPath = os.Args[1]
	}
	boxDir := filepath.Dir(inputsPath)
	code := run(out, status, boxDir, inputsPath)
	os.Exit(code)
}

func run(out *channel, status *statusPort, boxDir, inputsPath string) int {
	in, err := readInputs(inputsPath)
	if err != nil {
		return fail(out, "inputs", err)
	}
	cfg, err := readConfig(filepath.Join(boxDir, "gbgo.json"))
	if err != nil {
		return fail(out, "config", err)
	}
	runDir, buildDir := "/tmp/run", "/tmp/build"
	if dir := os.Getenv("GBX_WORK"); dir != "" { // dev runs outside the sandbox
		runDir, buildDir = filepath.Join(dir, "run"), filepath.Join(dir, "build")
	}
	if err := prepareRunDir(cfg, runDir); err != nil {
		return fail(out, "run directory", err)
	}
	program, err := prepareSources(in, cfg, boxDir, buildDir)
	if err != nil {
		return fail(out, "prepare", err)
	}
	if program.problem != nil {
		out.send(program.problem)
		status.linger("failed")
		return 0
	}
	binary, problem := build(cfg, program, buildDir)
	if problem != nil {
		out.send(problem)
		status.linger("failed")
		return 0
	}
	return runServer(out, status, cfg, program, binary, runDir)
}

// runServer starts the built server once the grader's database is up, and
// reports how it ended.
func runServer(out *channel, status *statusPort, cfg config, program *program, binary, runDir string) int {
	waited, up := waitForDatabase()
	program.report["db_wait_ms"] = waited.Milliseconds()
	if !up {
		return fail(out, "database", fmt.Errorf("the grader's database server did not answer on %s", dbAddr))
	}
	out.send(event{"event": "load", "ok": true, "entry": program.entry, "report": program.report})
	status.set("running")
	out.send(serve(cfg, binary, runDir))
	status.linger("exited")
	return 0
}

// fail reports a harness fault: a load failure the checker shows as such.
func fail(out *channel, step string, err error) int {
	out.send(event{"event": "load", "ok": false, "harness_error": fmt.Sprintf("%s: %v", step, err)})
	return 2
}

// protectChannel keeps fd 3 out of the server's reach: close-on-exec so it
// is not inherited, and not dumpable so /proc/<harness>/fd/3 cannot be
// opened by the answer (same uid) to forge observations.
func protectChannel() {
	syscall.CloseOnExec(3)
	syscall.Syscall(syscall.SYS_PRCTL, syscall.PR_SET_DUMPABLE, 0, 0)
}

// prepareRunDir makes the server's working directory, with an empty file
// under the database's name for answers that check it exists (the data is
// on the grader's database server, never in the box).
func prepareRunDir(cfg config, runDir string) error {
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return err
	}
	if cfg.Database == "" {
		return nil
	}
	return os.WriteFile(filepath.Join(runDir, cfg.Database), nil, 0o644)
}
