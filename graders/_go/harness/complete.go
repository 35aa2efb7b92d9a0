package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
)

// Methods of *sql.DB: an undeclared identifier used with them is the
// database handle a snippet assumes (`db.Query(...)` with no `db` declared).
var dbMethods = map[string]bool{
	"Query": true, "QueryRow": true, "QueryContext": true, "QueryRowContext": true,
	"Exec": true, "ExecContext": true, "Prepare": true, "PrepareContext": true,
	"Begin": true, "BeginTx": true, "Ping": true, "PingContext": true,
}

// complete turns a handler-only answer into a program: the original's
// declarations it lacks (the task's prelude), the database handle it
// assumes, and a main that mounts the handler on the task's route.
func complete(prog *program, files []*answerFile, cfg config, boxDir string) (*answerFile, error) {
	handler := findHandler(files, cfg.HandlerHint)
	if handler == nil {
		return nil, fmt.Errorf("no func main and no HTTP handler to mount")
	}
	declared := topLevelNames(files)
	var body bytes.Buffer
	body.WriteString("package main\n\nimport (\n\t\"database/sql\"\n\t\"log\"\n\t\"net/http\"\n\n\t_ \"github.com/mattn/go-sqlite3\"\n)\n\n")
	prelude, err := preludeDecls(cfg, boxDir, declared)
	if err != nil {
		return nil, err
	}
	body.WriteString(prelude)
	globals := undeclaredHandles(files, declared) // never nil: reported as []
	for _, name := range globals {
		fmt.Fprintf(&body, "var %s *sql.DB\n\n", name)
	}
	setup, mount := handler.mount(files, declared)
	body.WriteString(setup)
	fmt.Fprintf(&body, "func main() {\n\tgbxDB, err := sql.Open(%q, %q)\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n\t_ = gbxDB\n", cfg.Driver, cfg.Database)
	for _, name := range globals {
		fmt.Fprintf(&body, "\t%s = gbxDB\n", name)
	}
	fmt.Fprintf(&body, "%s\thttp.Handle(%q, gbxHandler)\n\tlog.Fatal(http.ListenAndServe(\":8080\", nil))\n}\n", mount, cfg.Route)
	text, err := format.Source(body.Bytes())
	if err != nil {
		return nil, fmt.Errorf("completion does not format: %v", err)
	}
	prog.entry = "handler:" + handler.name
	prog.report["completed"] = event{"handler": handler.name, "shape": handler.shape, "globals": globals}
	return &answerFile{name: "gbx_main.go", text: string(text)}, nil
}

// preludeDecls prints the task's original declarations the answer lacks.
func preludeDecls(cfg config, boxDir string, declared map[string]bool) (string, error) {
	if cfg.Prelude == "" {
		return "", nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(boxDir, cfg.Prelude), nil, 0)
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.TYPE {
			continue
		}
		for _, spec := range gen.Specs {
			ts := spec.(*ast.TypeSpec)
			if declared[ts.Name.Name] {
				continue
			}
			out.WriteString("type ")
			format.Node(&out, fset, ts)
			out.WriteString("\n\n")
		}
	}
	return out.String(), nil
}

// undeclaredHandles are identifiers used as a *sql.DB but declared nowhere.
func undeclaredHandles(files []*answerFile, declared map[string]bool) []string {
	found := map[string]bool{}
	for _, f := range files {
		ast.Inspect(f.ast, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok || !dbMethods[sel.Sel.Name] {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil && !declared[id.Name] &&
				types.Universe.Lookup(id.Name) == nil && knownPackages[id.Name] == "" {
				found[id.Name] = true
			}
			return true
		})
	}
	names := []string{}
	for name := range found {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func exprText(e ast.Expr) string {
	var b bytes.Buffer
	format.Node(&b, token.NewFileSet(), e)
	return b.String()
}

// isHandlerParams: exactly (http.ResponseWriter, *http.Request).
func isHandlerParams(ft *ast.FuncType) bool {
	var kinds []string
	for _, field := range ft.Params.List {
		n := len(field.Names)
		if n == 0 {
			n = 1
		}
		for i := 0; i < n; i++ {
			kinds = append(kinds, exprText(field.Type))
		}
	}
	return len(kinds) == 2 && kinds[0] == "http.ResponseWriter" && kinds[1] == "*http.Request"
}
