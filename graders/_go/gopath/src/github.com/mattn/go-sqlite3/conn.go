package sqlite3

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"sync"
)

var errBadConn = driver.ErrBadConn

// SQLiteConn is one connection to the grader's database server.
type SQLiteConn struct {
	mu     sync.Mutex
	wire   *wire
	closed bool
}

func (c *SQLiteConn) call(ctx context.Context, request ...any) ([]json.RawMessage, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, errBadConn
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if deadline, ok := ctx.Deadline(); ok {
		c.wire.sock.SetDeadline(deadline)
		defer c.wire.sock.SetDeadline(noDeadline)
	}
	return c.wire.call(request...)
}

func (c *SQLiteConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext keeps the SQL: each execution is one statement on the
// server, as each sqlite3_step run is one for the real driver.
func (c *SQLiteConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if _, err := c.call(ctx, "ping"); err != nil {
		return nil, err
	}
	return &SQLiteStmt{c: c, query: query}, nil
}

func (c *SQLiteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	wireArgs, err := encodeArgs(args)
	if err != nil {
		return nil, err
	}
	reply, err := c.call(ctx, "query", query, wireArgs)
	if err != nil {
		return nil, err
	}
	return newRows(c, reply)
}

func (c *SQLiteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	wireArgs, err := encodeArgs(args)
	if err != nil {
		return nil, err
	}
	reply, err := c.call(ctx, "exec", query, wireArgs)
	if err != nil {
		return nil, err
	}
	result := &SQLiteResult{}
	if len(reply) == 2 {
		json.Unmarshal(reply[0], &result.id)
		json.Unmarshal(reply[1], &result.changes)
	}
	return result, nil
}

// Exec and Query are go-sqlite3's own methods, used from a ConnectHook.
func (c *SQLiteConn) Exec(query string, args []driver.Value) (driver.Result, error) {
	return c.ExecContext(context.Background(), query, named(args))
}

func (c *SQLiteConn) Query(query string, args []driver.Value) (driver.Rows, error) {
	return c.QueryContext(context.Background(), query, named(args))
}

func (c *SQLiteConn) Ping(ctx context.Context) error {
	_, err := c.call(ctx, "ping")
	return err
}

func (c *SQLiteConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *SQLiteConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if _, err := c.call(ctx, "begin"); err != nil {
		return nil, err
	}
	return &SQLiteTx{c: c}, nil
}

func (c *SQLiteConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	return c.wire.sock.Close()
}

// IsValid lets database/sql drop a connection whose socket broke.
func (c *SQLiteConn) IsValid() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.closed && !c.wire.broken
}

func encodeArgs(args []driver.NamedValue) ([][2]any, error) {
	out := make([][2]any, 0, len(args))
	for _, a := range args {
		v, err := encodeValue(a.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, [2]any{a.Name, v})
	}
	return out, nil
}

// SQLiteTx is a transaction on one connection.
type SQLiteTx struct{ c *SQLiteConn }

func (t *SQLiteTx) Commit() error {
	_, err := t.c.call(context.Background(), "commit")
	return err
}

func (t *SQLiteTx) Rollback() error {
	_, err := t.c.call(context.Background(), "rollback")
	return err
}

// SQLiteStmt is a prepared statement: its SQL, run on the server each time.
type SQLiteStmt struct {
	c      *SQLiteConn
	query  string
	closed bool
}

func (s *SQLiteStmt) NumInput() int { return -1 }
func (s *SQLiteStmt) Close() error  { s.closed = true; return nil }

func (s *SQLiteStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *SQLiteStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *SQLiteStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if s.closed {
		return nil, errors.New("sql: statement is closed")
	}
	return s.c.ExecContext(ctx, s.query, args)
}

func (s *SQLiteStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if s.closed {
		return nil, errors.New("sql: statement is closed")
	}
	return s.c.QueryContext(ctx, s.query, args)
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

// SQLiteResult is what Exec returns.
type SQLiteResult struct{ id, changes int64 }

func (r *SQLiteResult) LastInsertId() (int64, error) { return r.id, nil }
func (r *SQLiteResult) RowsAffected() (int64, error) { return r.changes, nil }
