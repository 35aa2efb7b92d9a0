package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

const toolDir = "/usr/lib/go-1.19/pkg/tool/linux_amd64"

// build compiles the answer with `go tool compile` and links it with
// `go tool link` against prebuilt archives; no cache is read or written, so
// nothing of one answer reaches the next. The compiler sees only the
// packages an answer may import (it does not enforce `internal` itself);
// the linker needs every archive those depend on.
func build(cfg config, prog *program, buildDir string) (string, event) {
	started := time.Now()
	defer func() { prog.report["build_ms"] = time.Since(started).Milliseconds() }()
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(cfg.BuildSecs*float64(time.Second)))
	defer cancel()
	archive := filepath.Join(buildDir, "_gbx_main.a")
	args := append([]string{"-o", archive, "-p", "main", "-complete", "-pack", "-nolocalimports",
		"-importcfg", cfg.Compilecfg, "-trimpath", buildDir + "=>"}, prog.files...)
	if out, err := tool(ctx, buildDir, "compile", args...); err != nil {
		return "", compileProblem(ctx, out, err)
	}
	prog.report["compile_ms"] = time.Since(started).Milliseconds()
	binary := filepath.Join(buildDir, "_gbx_server")
	args = append([]string{"-o", binary, "-importcfg", cfg.Importcfg, "-buildmode=exe", "-s", "-w",
		"-linkmode=internal"}, cfg.Ldflags...)
	if out, err := tool(ctx, buildDir, "link", append(args, archive)...); err != nil {
		return "", compileProblem(ctx, "link: "+out, err)
	}
	return binary, nil
}

func tool(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(toolDir, name), args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/tmp", "TMPDIR=" + os.TempDir()}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

var undefinedName = regexp.MustCompile(`undefined: (\w+)`)

func compileProblem(ctx context.Context, out string, err error) event {
	message := strings.TrimSpace(out)
	if ctx.Err() != nil {
		message = "build timed out\n" + message
	} else if message == "" {
		message = err.Error()
	}
	if len(message) > 8000 {
		message = message[:8000] + "\n..."
	}
	problem := event{"event": "load", "ok": false, "compile_error": message}
	if m := undefinedName.FindStringSubmatch(message); m != nil {
		problem["missing_name"] = m[1]
	}
	return problem
}

// readImportcfg lists the import paths the prebuilt archives provide.
func readImportcfg(path string) (map[string]bool, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	known := map[string]bool{}
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		line := strings.TrimPrefix(scanner.Text(), "packagefile ")
		if at := strings.IndexByte(line, '='); at > 0 && line != scanner.Text() {
			known[line[:at]] = true
		}
	}
	return known, scanner.Err()
}
