// gbgo is the sandboxed harness for Go server answers. Theory of operation:
//
//	gbgo (this process, pid 1's child inside the sandbox)
//	  ├─ reports on fd 3 (the result channel) and on a loopback status port
//	  ├─ seeds the task's SQLite database in /tmp/run
//	  ├─ lays the answer out in /tmp/build, completing a handler-only answer
//	  ├─ compiles and links it against prebuilt archives (no go command:
//	  │  its package loading alone costs more than compiling the answer)
//	  └─ runs the server without fd 3, and waits for it
//
// The trusted prober, outside, finds the server's port and sends requests;
// this harness never decides pass or fail.
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
	db, err := seedDatabase(cfg, boxDir, runDir)
	if err != nil {
		return fail(out, "seed", err)
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
	out.send(event{"event": "load", "ok": true, "entry": program.entry, "report": program.report})
	status.set("running")
	out.send(serve(cfg, binary, runDir, db))
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
