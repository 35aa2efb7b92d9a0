package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// program is the answer laid out for the compiler.
type program struct {
	files   []string // file names in the build directory
	entry   string   // "main", or "handler:<name>" for a completed answer
	report  event    // facts for the report: completion, added imports
	problem event    // a load event when the answer cannot be built at all
}

// answerFile is one Go file of the answer, normalised to package main.
type answerFile struct {
	name string
	text string
	ast  *ast.File // nil when it does not parse (the compiler will say why)
}

// Package names answers use without importing them (handler-only snippets).
var knownPackages = map[string]string{
	"sql": "database/sql", "json": "encoding/json", "fmt": "fmt", "log": "log",
	"http": "net/http", "strings": "strings", "context": "context", "time": "time",
	"errors": "errors", "os": "os", "strconv": "strconv", "sync": "sync",
	"driver": "database/sql/driver", "url": "net/url", "bytes": "bytes", "io": "io",
	"sort": "sort", "signal": "os/signal", "syscall": "syscall", "atomic": "sync/atomic",
}

func prepareSources(in inputs, cfg config, boxDir, buildDir string) (*program, error) {
	known, err := readImportcfg(cfg.Compilecfg)
	if err != nil {
		return nil, err
	}
	files, err := readAnswer(in, boxDir)
	if err != nil {
		return nil, err
	}
	prog := &program{entry: "main", report: event{}}
	if problem := checkImports(files, known); problem != nil {
		prog.problem = problem
		return prog, nil
	}
	added := addMissingImports(files)
	if len(added) > 0 {
		prog.report["added_imports"] = added
	}
	if !declaresMain(files) {
		generated, err := complete(prog, files, cfg, boxDir)
		if err != nil {
			prog.problem = event{"event": "load", "ok": false, "no_entry": true, "message": err.Error()}
			return prog, nil
		}
		files = append(files, generated)
	}
	if err := os.MkdirAll(buildDir, 0o755); err != nil {
		return nil, err
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(buildDir, f.name), []byte(f.text), 0o644); err != nil {
			return nil, err
		}
		prog.files = append(prog.files, f.name)
	}
	return prog, nil
}

// readAnswer reads the primary and the other named Go files (tests skipped).
func readAnswer(in inputs, boxDir string) ([]*answerFile, error) {
	var files []*answerFile
	seen := map[string]bool{}
	for i, path := range append([]string{in.Answer}, in.Files...) {
		if strings.HasPrefix(path, "/box/") && boxDir != "/box" {
			path = filepath.Join(boxDir, strings.TrimPrefix(path, "/box/"))
		}
		if i > 0 && (!strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go")) {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		for _, part := range splitFiles(string(data)) {
			name := uniqueName(filepath.Base(path), seen)
			files = append(files, normalise(name, part))
		}
	}
	return files, nil
}

var packageClause = regexp.MustCompile(`(?m)^package\s+\w+`)

// splitFiles cuts a text holding several Go files (blocks joined by the
// join retry, each with its own package clause) into one text per file.
// Lines are padded so that each part keeps its line numbers.
func splitFiles(text string) []string {
	starts := packageClause.FindAllStringIndex(text, -1)
	if len(starts) < 2 {
		return []string{text}
	}
	var parts []string
	for i, at := range starts {
		begin, end := at[0], len(text)
		if i == 0 {
			begin = 0
		}
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		padding := strings.Repeat("\n", strings.Count(text[:begin], "\n"))
		parts = append(parts, padding+text[begin:end])
	}
	return parts
}

func uniqueName(base string, seen map[string]bool) string {
	base = strings.TrimSuffix(base, ".go")
	name := base + ".go"
	for n := 2; seen[name] || strings.HasPrefix(name, "gbx_"); n++ {
		name = fmt.Sprintf("%s_%d.go", base, n)
	}
	seen[name] = true
	return name
}

// normalise makes the file `package main` without moving any line, so the
// compiler's line numbers still match the answer's.
func normalise(name, text string) *answerFile {
	fset := token.NewFileSet()
	head, err := parser.ParseFile(fset, name, text, parser.PackageClauseOnly)
	switch {
	case err != nil:
		text = "package main; " + text
	case head.Name.Name != "main":
		start, end := fset.Position(head.Name.Pos()).Offset, fset.Position(head.Name.End()).Offset
		text = text[:start] + "main" + text[end:]
	}
	f := &answerFile{name: name, text: text}
	f.ast, _ = parser.ParseFile(token.NewFileSet(), name, text, parser.AllErrors)
	return f
}

// checkImports turns packages the sandbox cannot provide into an
// "unsupported" verdict instead of a compile error, and refuses what could
// reach past the public driver into memory it does not own: unsafe (and so
// //go:linkname), cgo, and internal packages, whose rule the compiler does
// not enforce when given an importcfg.
func checkImports(files []*answerFile, known map[string]bool) event {
	for _, f := range files {
		if f.ast == nil {
			continue
		}
		for _, spec := range f.ast.Imports {
			path, _ := strconv.Unquote(spec.Path.Value)
			if reason := refusedImport(path, known); reason != "" {
				return event{"event": "load", "ok": false, "unsupported": reason}
			}
		}
	}
	return nil
}

const publicDriver = "github.com/mattn/go-sqlite3"

func refusedImport(path string, known map[string]bool) string {
	switch {
	case path == "C":
		return "uses cgo (import \"C\")"
	case path == "unsafe":
		return "imports unsafe (the grader runs only memory-safe Go)"
	case isInternal(path) || strings.HasPrefix(path, "vendor/"):
		return "imports " + path + " (internal packages are not importable)"
	case strings.HasPrefix(path, publicDriver+"/"):
		return "imports " + path + " (only the driver package " + publicDriver + " itself is available)"
	case !known[path]:
		return "needs Go package " + path + " (only the standard library and " + publicDriver + " are available)"
	}
	return ""
}

func isInternal(path string) bool {
	for _, part := range strings.Split(path, "/") {
		if part == "internal" {
			return true
		}
	}
	return false
}

// addMissingImports imports the standard packages a snippet uses without
// importing them, on the package clause's line (no line moves).
func addMissingImports(files []*answerFile) []string {
	declared := topLevelNames(files)
	var added []string
	for _, f := range files {
		if f.ast == nil {
			continue
		}
		missing := missingPackages(f.ast, declared)
		if len(missing) == 0 {
			continue
		}
		var quoted []string
		for _, path := range missing {
			quoted = append(quoted, strconv.Quote(path))
		}
		at := token.NewFileSet()
		head, _ := parser.ParseFile(at, f.name, f.text, parser.PackageClauseOnly)
		end := at.Position(head.Name.End()).Offset
		f.text = f.text[:end] + "; import (" + strings.Join(quoted, "; ") + ")" + f.text[end:]
		f.ast, _ = parser.ParseFile(token.NewFileSet(), f.name, f.text, parser.AllErrors)
		added = append(added, missing...)
	}
	return added
}

func missingPackages(f *ast.File, declared map[string]bool) []string {
	imported := map[string]bool{}
	for _, spec := range f.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if spec.Name != nil {
			name = spec.Name.Name
		}
		imported[name] = true
	}
	need := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil && !imported[id.Name] && !declared[id.Name] {
				if path, ok := knownPackages[id.Name]; ok {
					need[path] = true
				}
			}
		}
		return true
	})
	var paths []string
	for path := range need {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	return paths
}

func topLevelNames(files []*answerFile) map[string]bool {
	names := map[string]bool{}
	for _, f := range files {
		if f.ast == nil {
			continue
		}
		for name := range f.ast.Scope.Objects {
			names[name] = true
		}
	}
	return names
}

func declaresMain(files []*answerFile) bool {
	for _, f := range files {
		if f.ast == nil {
			return true // let the compiler report the syntax error
		}
		if obj := f.ast.Scope.Lookup("main"); obj != nil && obj.Kind == ast.Fun {
			return true
		}
	}
	return false
}
