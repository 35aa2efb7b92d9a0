package main

import (
	"fmt"
	"go/ast"
	"strings"
)

// handler is the function a handler-only answer offers, in one of three
// shapes: func(w, r); a method (s *T) on a type holding the *sql.DB; or a
// factory func(db *sql.DB) http.HandlerFunc / http.Handler.
type handler struct {
	name  string
	shape string // func | method | factory
	decl  *ast.FuncDecl
}

func findHandler(files []*answerFile, hint string) *handler {
	var best *handler
	bestScore := 0
	for _, f := range files {
		for _, decl := range f.ast.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			h := classify(fn)
			if h == nil {
				continue
			}
			score := 1
			if hint != "" && strings.Contains(strings.ToLower(fn.Name.Name), strings.ToLower(hint)) {
				score += 10
			}
			if score > bestScore {
				best, bestScore = h, score
			}
		}
	}
	return best
}

func classify(fn *ast.FuncDecl) *handler {
	h := &handler{name: fn.Name.Name, decl: fn}
	switch {
	case isHandlerParams(fn.Type) && fn.Recv == nil:
		h.shape = "func"
	case isHandlerParams(fn.Type):
		h.shape = "method"
	case fn.Recv == nil && onlyDBParams(fn.Type) && handlerResult(fn.Type) != "":
		h.shape = "factory"
	default:
		return nil
	}
	return h
}

func onlyDBParams(ft *ast.FuncType) bool {
	for _, field := range ft.Params.List {
		if exprText(field.Type) != "*sql.DB" {
			return false
		}
	}
	return true
}

func paramCount(ft *ast.FuncType) int {
	n := 0
	for _, field := range ft.Params.List {
		n += max1(len(field.Names))
	}
	return n
}

func max1(n int) int {
	if n == 0 {
		return 1
	}
	return n
}

// handlerResult: "handler" for http.Handler/http.HandlerFunc, "func" for a
// plain func(http.ResponseWriter, *http.Request), "" otherwise.
func handlerResult(ft *ast.FuncType) string {
	if ft.Results == nil || len(ft.Results.List) != 1 {
		return ""
	}
	switch t := ft.Results.List[0].Type.(type) {
	case *ast.SelectorExpr:
		if text := exprText(t); text == "http.Handler" || text == "http.HandlerFunc" {
			return "handler"
		}
	case *ast.FuncType:
		if isHandlerParams(t) && t.Results == nil {
			return "func"
		}
	}
	return ""
}

// mount returns extra declarations and the statements of main that define
// gbxHandler (an http.Handler) from gbxDB.
func (h *handler) mount(files []*answerFile, declared map[string]bool) (string, string) {
	switch h.shape {
	case "func":
		return "", fmt.Sprintf("\tvar gbxHandler http.Handler = http.HandlerFunc(%s)\n", h.name)
	case "factory":
		args := strings.TrimSuffix(strings.Repeat("gbxDB, ", paramCount(h.decl.Type)), ", ")
		call := fmt.Sprintf("%s(%s)", h.name, args)
		if handlerResult(h.decl.Type) == "func" {
			call = "http.HandlerFunc(" + call + ")"
		}
		return "", fmt.Sprintf("\tvar gbxHandler http.Handler = %s\n", call)
	}
	return h.mountMethod(files, declared)
}

// mountMethod builds the receiver: its constructor when one takes only the
// database, else a literal with every *sql.DB field set; a receiver type the
// snippet never declares is declared with the fields the method uses.
func (h *handler) mountMethod(files []*answerFile, declared map[string]bool) (string, string) {
	typeName := strings.TrimPrefix(exprText(h.decl.Recv.List[0].Type), "*")
	var setup string
	app := ""
	if ctor := findConstructor(files, typeName); ctor != nil {
		args := strings.TrimSuffix(strings.Repeat("gbxDB, ", paramCount(ctor.Type)), ", ")
		if len(ctor.Type.Results.List) == 2 {
			app = fmt.Sprintf("\tgbxApp, err := %s(%s)\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n", ctor.Name.Name, args)
		} else {
			app = fmt.Sprintf("\tgbxApp := %s(%s)\n", ctor.Name.Name, args)
		}
	} else {
		fields := dbFields(files, typeName)
		if !declared[typeName] {
			fields = receiverDBFields(h.decl)
			setup = "type " + typeName + " struct {\n"
			for _, f := range fields {
				setup += "\t" + f + " *sql.DB\n"
			}
			setup += "}\n\n"
		}
		var inits []string
		for _, f := range fields {
			inits = append(inits, f+": gbxDB")
		}
		app = fmt.Sprintf("\tgbxApp := &%s{%s}\n", typeName, strings.Join(inits, ", "))
	}
	return setup, app + fmt.Sprintf("\tvar gbxHandler http.Handler = http.HandlerFunc(gbxApp.%s)\n", h.name)
}

func findConstructor(files []*answerFile, typeName string) *ast.FuncDecl {
	for _, f := range files {
		for _, decl := range f.ast.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Type.Results == nil || !onlyDBParams(fn.Type) {
				continue
			}
			results := fn.Type.Results.List
			first := strings.TrimPrefix(exprText(results[0].Type), "*")
			if first == typeName && (len(results) == 1 || exprText(results[1].Type) == "error") {
				return fn
			}
		}
	}
	return nil
}

// dbFields: the *sql.DB fields of a struct type the answer declares.
func dbFields(files []*answerFile, typeName string) []string {
	var names []string
	for _, f := range files {
		ast.Inspect(f.ast, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok || ts.Name.Name != typeName {
				return true
			}
			if st, ok := ts.Type.(*ast.StructType); ok {
				for _, field := range st.Fields.List {
					if exprText(field.Type) == "*sql.DB" {
						for _, name := range field.Names {
							names = append(names, name.Name)
						}
					}
				}
			}
			return false
		})
	}
	return names
}

// receiverDBFields: fields used as a database on the method's receiver
// (s.db.Query(...) gives "db").
func receiverDBFields(fn *ast.FuncDecl) []string {
	if len(fn.Recv.List[0].Names) == 0 {
		return nil
	}
	recv := fn.Recv.List[0].Names[0].Name
	seen := map[string]bool{}
	var names []string
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		outer, ok := n.(*ast.SelectorExpr)
		if !ok || !dbMethods[outer.Sel.Name] {
			return true
		}
		if inner, ok := outer.X.(*ast.SelectorExpr); ok {
			if id, ok := inner.X.(*ast.Ident); ok && id.Name == recv && !seen[inner.Sel.Name] {
				seen[inner.Sel.Name] = true
				names = append(names, inner.Sel.Name)
			}
		}
		return true
	})
	return names
}
