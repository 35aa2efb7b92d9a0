package main

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

func TestNormaliseKeepsLineNumbers(t *testing.T) {
	f := normalise("main.go", "func h() {}\nvar x = 1\n")
	if !strings.HasPrefix(f.text, "package main; func h()") {
		t.Fatalf("package clause not added on line 1: %q", f.text)
	}
	if f.ast == nil || strings.Count(f.text, "\n") != 2 {
		t.Fatalf("lines moved or file does not parse: %q", f.text)
	}
	g := normalise("x.go", "package handlers\n\nfunc h() {}\n")
	if !strings.HasPrefix(g.text, "package main\n") {
		t.Fatalf("package not renamed: %q", g.text)
	}
}

func TestSplitFilesPadsLines(t *testing.T) {
	parts := splitFiles("package main\nfunc a() {}\npackage main\nfunc b() {}\n")
	if len(parts) != 2 {
		t.Fatalf("want 2 files, got %d", len(parts))
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "b.go", parts[1], 0)
	if err != nil {
		t.Fatal(err)
	}
	if line := fset.Position(f.Decls[0].Pos()).Line; line != 4 {
		t.Fatalf("func b on line %d, want 4", line)
	}
}

func TestMissingImportsAddedOnPackageLine(t *testing.T) {
	files := []*answerFile{normalise("main.go", "func h(w http.ResponseWriter, r *http.Request) {\n\tjson.NewEncoder(w).Encode(nil)\n}\n")}
	added := addMissingImports(files)
	if strings.Join(added, ",") != "encoding/json,net/http" {
		t.Fatalf("added %v", added)
	}
	if strings.Count(files[0].text, "\n") != 3 {
		t.Fatalf("imports moved lines: %q", files[0].text)
	}
}

func handlerOf(t *testing.T, src string) *handler {
	t.Helper()
	files := []*answerFile{normalise("main.go", src)}
	if files[0].ast == nil {
		t.Fatalf("does not parse: %s", src)
	}
	return findHandler(files, "user")
}

func TestFindHandlerShapes(t *testing.T) {
	cases := map[string]string{
		"func writeJSON(w http.ResponseWriter, v any) {}\nfunc usersHandler(w http.ResponseWriter, r *http.Request) {}":  "func usersHandler",
		"func (s *Server) ListUsers(rw http.ResponseWriter, req *http.Request) {}":                                       "method ListUsers",
		"func Users(db *sql.DB) http.HandlerFunc { return nil }":                                                         "factory Users",
		"func ping(w http.ResponseWriter, r *http.Request) {}\nfunc getUsers(w http.ResponseWriter, r *http.Request) {}": "func getUsers",
	}
	for src, want := range cases {
		h := handlerOf(t, src)
		if h == nil || h.shape+" "+h.name != want {
			t.Errorf("%q: got %+v, want %s", src, h, want)
		}
	}
	if h := handlerOf(t, "func helper(x int) {}"); h != nil {
		t.Errorf("a non-handler was chosen: %+v", h)
	}
}

func TestUndeclaredDatabaseHandle(t *testing.T) {
	files := []*answerFile{normalise("main.go", "func h(w http.ResponseWriter, r *http.Request) {\n\trows, _ := db.Query(\"x\")\n\t_ = rows\n}\n")}
	got := undeclaredHandles(files, topLevelNames(files))
	if strings.Join(got, ",") != "db" {
		t.Fatalf("got %v", got)
	}
	declared := []*answerFile{normalise("main.go", "var db *sql.DB\nfunc h() { db.Query(\"x\") }\n")}
	if got := undeclaredHandles(declared, topLevelNames(declared)); len(got) != 0 {
		t.Fatalf("declared db reported as missing: %v", got)
	}
}

func TestMethodReceiverFieldsDeclared(t *testing.T) {
	src := "func (s *Server) users(w http.ResponseWriter, r *http.Request) {\n\ts.store.QueryContext(r.Context(), \"x\")\n}\n"
	files := []*answerFile{normalise("main.go", src)}
	h := findHandler(files, "user")
	setup, mount := h.mount(files, topLevelNames(files))
	if !strings.Contains(setup, "type Server struct") || !strings.Contains(setup, "store *sql.DB") {
		t.Fatalf("receiver type not declared: %q", setup)
	}
	if !strings.Contains(mount, "&Server{store: gbxDB}") {
		t.Fatalf("receiver not built: %q", mount)
	}
}

func TestRefusedImports(t *testing.T) {
	known := map[string]bool{"fmt": true, "net/http": true, "github.com/mattn/go-sqlite3": true,
		"internal/poll": true}
	refused := []string{"unsafe", "C", "internal/poll", "github.com/mattn/go-sqlite3/internal/real",
		"net/http/internal", "vendor/golang.org/x/net/idna", "github.com/mattn/go-sqlite3/x", "os/exec2"}
	for _, path := range refused {
		if refusedImport(path, known) == "" {
			t.Errorf("%s was accepted", path)
		}
	}
	for _, path := range []string{"fmt", "net/http", "github.com/mattn/go-sqlite3"} {
		if reason := refusedImport(path, known); reason != "" {
			t.Errorf("%s refused: %s", path, reason)
		}
	}
	files := []*answerFile{normalise("main.go", "package main\nimport _ \"unsafe\"\nfunc main() {}\n")}
	if e := checkImports(files, known); e == nil || e["unsupported"] == nil {
		t.Fatalf("unsafe not reported as unsupported: %v", e)
	}
}
