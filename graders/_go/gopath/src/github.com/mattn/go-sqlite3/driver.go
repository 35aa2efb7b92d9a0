// Package sqlite3 stands in for github.com/mattn/go-sqlite3 in graded
// answers. Trust: this package is compiled into the answer's (untrusted)
// process, so it counts nothing and decides nothing. It is a thin pure-Go
// database/sql driver, registered as "sqlite3", that sends every call over
// a loopback socket to the grader's database server (review_go's
// db_server.py, run by the trusted prober outside the sandbox), which owns
// the seeded data and counts connections, statements and result sets.
// Every DSN reaches that one database: answers may name "./shop.db",
// "file:shop.db?cache=shared" or ":memory:".
package sqlite3

import (
	"context"
	"database/sql"
	"database/sql/driver"
)

func init() {
	sql.Register("sqlite3", &SQLiteDriver{})
}

// SQLiteDriver is the driver; ConnectHook runs on every new connection, as
// in go-sqlite3. Extensions cannot be loaded.
type SQLiteDriver struct {
	Extensions  []string
	ConnectHook func(*SQLiteConn) error
}

func (d *SQLiteDriver) Open(dsn string) (driver.Conn, error) {
	return d.connect()
}

func (d *SQLiteDriver) OpenConnector(dsn string) (driver.Connector, error) {
	return &connector{driver: d}, nil
}

func (d *SQLiteDriver) connect() (driver.Conn, error) {
	w, err := dial()
	if err != nil {
		return nil, err
	}
	if _, err := w.call("hello"); err != nil {
		w.sock.Close()
		return nil, err
	}
	c := &SQLiteConn{wire: w}
	if d.ConnectHook != nil {
		if err := d.ConnectHook(c); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

type connector struct{ driver *SQLiteDriver }

func (c *connector) Driver() driver.Driver { return c.driver }

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	return c.driver.connect()
}
