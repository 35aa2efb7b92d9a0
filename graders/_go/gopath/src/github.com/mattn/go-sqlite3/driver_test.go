package sqlite3

// Runs the driver against review_go's real database server (a python3
// child), as an answer would: values, errors, statements, transactions.

import (
	"bufio"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const serverScript = `
import sys, time
sys.path.insert(0, sys.argv[1])
import db_server
s = db_server.Server(open(sys.argv[1] + "/seed.sql").read(), ("127.0.0.1", 0))
print("%s:%d" % s.addr, flush=True)
sys.stdin.read()
`

func startServer(t *testing.T) {
	_, here, _, _ := runtime.Caller(0)
	pack := filepath.Join(filepath.Dir(here), "../../../../../../review_go")
	cmd := exec.Command("/usr/bin/python3", "-I", "-S", "-c", serverScript, pack)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Skip("no python3:", err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal("server did not start:", err)
	}
	t.Setenv("GBX_DB_ADDR", strings.TrimSpace(addr))
}

func TestConnectHookAndSeveralStatements(t *testing.T) {
	startServer(t)
	hooked := 0
	sql.Register("sqlite3_hooked", &SQLiteDriver{ConnectHook: func(c *SQLiteConn) error {
		hooked++
		_, err := c.Exec("PRAGMA foreign_keys = ON", nil)
		return err
	}})
	db, err := sql.Open("sqlite3_hooked", "file:shop.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE INDEX IF NOT EXISTS a ON orders(user_id); CREATE INDEX IF NOT EXISTS b ON users(name);"); err != nil {
		t.Fatal(err)
	}
	if hooked != 1 {
		t.Fatalf("hook ran %d times", hooked)
	}
}

func TestDriverAgainstServer(t *testing.T) {
	startServer(t)
	db, err := sql.Open("sqlite3", "./shop.db?_foreign_keys=1")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var (
		name  string
		total float64
		email sql.NullString
	)
	row := db.QueryRow("SELECT u.name, u.email, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE o.id = ?", 1)
	if err := row.Scan(&name, &email, &total); err != nil {
		t.Fatal(err)
	}
	if name != "Alice Smith" || email.String != "alice@example.com" || total != 19.99 {
		t.Fatalf("got %q %q %v", name, email.String, total)
	}
	var blob []byte
	var null sql.NullInt64
	var flag bool
	if err := db.QueryRow("SELECT ?, ?, ?", []byte{0, 255}, nil, true).Scan(&blob, &null, &flag); err != nil {
		t.Fatal(err)
	}
	if string(blob) != "\x00\xff" || null.Valid || !flag {
		t.Fatalf("got %v %v %v", blob, null, flag)
	}
	count := 0
	rows, err := db.Query("SELECT id FROM users WHERE name LIKE '%' || :n || '%'", sql.Named("n", "Member"))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		count++
	}
	if err := rows.Err(); err != nil || count != 40 {
		t.Fatalf("%d rows, %v", count, err)
	}
	_, err = db.Exec("INSERT INTO users (id, name) VALUES (1, 'dup')")
	var sqliteErr Error
	if !errors.As(err, &sqliteErr) || sqliteErr.Code != ErrConstraint || sqliteErr.ExtendedCode != ErrConstraintPrimaryKey {
		t.Fatalf("want a primary key constraint error, got %#v", err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	stmt, err := tx.Prepare("INSERT INTO users (name, email) VALUES (?, ?)")
	if err != nil {
		t.Fatal(err)
	}
	result, err := stmt.Exec("Zed", "z@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := result.RowsAffected(); n != 1 {
		t.Fatalf("%d rows affected", n)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT count(*) FROM users WHERE name = 'Zed'").Scan(&count); err != nil || count != 0 {
		t.Fatalf("rollback kept the row: %d %v", count, err)
	}
}
