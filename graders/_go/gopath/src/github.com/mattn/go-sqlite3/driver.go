// Package sqlite3 shadows github.com/mattn/go-sqlite3 for graded answers: it
// registers a counting wrapper around the real driver (Debian's source,
// reached as internal/real) under the name answers use, "sqlite3".
//
// The real driver's own registration is switched off at link time with
// -X github.com/mattn/go-sqlite3/internal/real.driverName= (see the harness).
// Every DSN is redirected to the database the harness seeded ($GBX_SQLITE_DB),
// so answers may name "./shop.db", "file:shop.db?cache=shared" or ":memory:".
package sqlite3

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"net/url"
	"os"
	"strings"

	real "github.com/mattn/go-sqlite3/internal/real"
)

func init() {
	sql.Register("sqlite3", &countingDriver{})
	startControl()
}

// countingDriver implements driver.DriverContext so that every sql.Open
// reaches OpenConnector: that is how sql.Open calls are counted.
type countingDriver struct{}

func (d *countingDriver) Open(dsn string) (driver.Conn, error) {
	c, _ := d.OpenConnector(dsn)
	return c.Connect(context.Background())
}

func (d *countingDriver) OpenConnector(dsn string) (driver.Connector, error) {
	stats.opens.Add(1)
	return &connector{dsn: redirect(dsn), driver: d}, nil
}

type connector struct {
	dsn    string
	driver *countingDriver
}

func (c *connector) Driver() driver.Driver { return c.driver }

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	if err := injected(); err != nil {
		return nil, err
	}
	inner, err := (&real.SQLiteDriver{}).Open(c.dsn)
	if err != nil {
		return nil, err
	}
	stats.connsOpened.Add(1)
	return &conn{inner: inner.(*real.SQLiteConn)}, nil
}

// redirect keeps the answer's connection parameters but always opens the
// seeded database: the answer's path is its own guess of where shop.db is.
func redirect(dsn string) string {
	target := os.Getenv("GBX_SQLITE_DB")
	if target == "" {
		return dsn
	}
	kept := url.Values{}
	if at := strings.IndexByte(dsn, '?'); at >= 0 {
		params, _ := url.ParseQuery(dsn[at+1:])
		for key, values := range params {
			if key == "mode" && len(values) > 0 && values[0] == "memory" {
				continue
			}
			if key == "vfs" || key == "immutable" {
				continue
			}
			kept[key] = values
		}
	}
	if len(kept) == 0 {
		return "file:" + target
	}
	return "file:" + target + "?" + kept.Encode()
}
