package sqlite3

import (
	"context"
	"database/sql/driver"
	"reflect"
	"sync/atomic"

	real "github.com/mattn/go-sqlite3/internal/real"
)

// conn mirrors the interfaces *real.SQLiteConn implements, so database/sql
// takes the same paths it would with the real driver, and counts what runs.
type conn struct {
	inner  *real.SQLiteConn
	closed atomic.Bool
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if err := injected(); err != nil {
		return nil, err
	}
	s, err := c.inner.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	stats.prepares.Add(1)
	return &stmt{inner: s.(*real.SQLiteStmt)}, nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	stats.statements.Add(1)
	if err := injected(); err != nil {
		return nil, err
	}
	return wrapRows(c.inner.QueryContext(ctx, query, args))
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	stats.statements.Add(1)
	if err := injected(); err != nil {
		return nil, err
	}
	return c.inner.ExecContext(ctx, query, args)
}

func (c *conn) Ping(ctx context.Context) error {
	if err := injected(); err != nil {
		return err
	}
	return c.inner.Ping(ctx)
}

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := injected(); err != nil {
		return nil, err
	}
	t, err := c.inner.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	stats.txBegun.Add(1)
	return &tx{inner: t}, nil
}

func (c *conn) Close() error {
	if !c.closed.Swap(true) {
		stats.connsClosed.Add(1)
	}
	return c.inner.Close()
}

type tx struct {
	inner driver.Tx
	ended atomic.Bool
}

func (t *tx) Commit() error   { t.end(); return t.inner.Commit() }
func (t *tx) Rollback() error { t.end(); return t.inner.Rollback() }
func (t *tx) end() {
	if !t.ended.Swap(true) {
		stats.txEnded.Add(1)
	}
}

// stmt counts executions, not preparations: a prepared statement run once
// per user is still one statement per user.
type stmt struct {
	inner  *real.SQLiteStmt
	closed atomic.Bool
}

func (s *stmt) NumInput() int { return s.inner.NumInput() }

func (s *stmt) Close() error {
	if !s.closed.Swap(true) {
		stats.stmtsClosed.Add(1)
	}
	return s.inner.Close()
}

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	stats.statements.Add(1)
	if err := injected(); err != nil {
		return nil, err
	}
	return s.inner.Exec(args)
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	stats.statements.Add(1)
	if err := injected(); err != nil {
		return nil, err
	}
	return wrapRows(s.inner.Query(args))
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	stats.statements.Add(1)
	if err := injected(); err != nil {
		return nil, err
	}
	return s.inner.ExecContext(ctx, args)
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	stats.statements.Add(1)
	if err := injected(); err != nil {
		return nil, err
	}
	return wrapRows(s.inner.QueryContext(ctx, args))
}

// rows counts open result sets; database/sql closes them at EOF, on
// Rows.Close, or never (the leak no-leaks looks for).
type rows struct {
	inner  *real.SQLiteRows
	closed atomic.Bool
}

func wrapRows(r driver.Rows, err error) (driver.Rows, error) {
	if err != nil {
		return nil, err
	}
	stats.rowsOpened.Add(1)
	return &rows{inner: r.(*real.SQLiteRows)}, nil
}

func (r *rows) Columns() []string              { return r.inner.Columns() }
func (r *rows) Next(dest []driver.Value) error { return r.inner.Next(dest) }
func (r *rows) Close() error {
	if !r.closed.Swap(true) {
		stats.rowsClosed.Add(1)
	}
	return r.inner.Close()
}

func (r *rows) ColumnTypeDatabaseTypeName(i int) string { return r.inner.ColumnTypeDatabaseTypeName(i) }
func (r *rows) ColumnTypeNullable(i int) (bool, bool)   { return r.inner.ColumnTypeNullable(i) }
func (r *rows) ColumnTypeScanType(i int) reflect.Type   { return r.inner.ColumnTypeScanType(i) }
