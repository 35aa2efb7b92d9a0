package sqlite3

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"strconv"
	"time"
)

// wire is one connection to the grader's database server: one JSON array
// per line each way (see graders/review_go/db_server.py). It lives in the
// answer's process and holds nothing the grader trusts.
type wire struct {
	sock   net.Conn
	reader *bufio.Reader
	broken bool
}

const (
	defaultAddr = "127.0.0.1:39519"
	maxReply    = 64 << 20
	dialWait    = 5 * time.Second // the server may still be starting
)

func dial() (*wire, error) {
	addr := os.Getenv("GBX_DB_ADDR")
	if addr == "" {
		addr = defaultAddr
	}
	deadline := time.Now().Add(dialWait)
	for {
		sock, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return &wire{sock: sock, reader: bufio.NewReaderSize(sock, 64<<10)}, nil
		}
		if time.Now().After(deadline) {
			return nil, Error{Code: ErrCantOpen, ExtendedCode: ErrNoExtended(ErrCantOpen), err: "unable to open database file: " + err.Error()}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// call sends one request and decodes the reply's fields after "ok".
func (w *wire) call(request ...any) ([]json.RawMessage, error) {
	if w.broken {
		return nil, errBadConn
	}
	line, err := json.Marshal(request)
	if err != nil {
		return nil, err
	}
	if _, err := w.sock.Write(append(line, '\n')); err != nil {
		w.broken = true
		return nil, errBadConn
	}
	reply, err := w.readLine()
	if err != nil {
		w.broken = true
		return nil, Error{Code: ErrIoErr, ExtendedCode: ErrNoExtended(ErrIoErr), err: "disk I/O error: " + err.Error()}
	}
	var fields []json.RawMessage
	if err := json.Unmarshal(reply, &fields); err != nil || len(fields) == 0 {
		w.broken = true
		return nil, Error{Code: ErrProtocol, ExtendedCode: ErrNoExtended(ErrProtocol), err: "malformed reply"}
	}
	var status string
	json.Unmarshal(fields[0], &status)
	if status == "ok" {
		return fields[1:], nil
	}
	return nil, replyError(fields[1:])
}

func (w *wire) readLine() ([]byte, error) {
	var buf bytes.Buffer
	for {
		part, isPrefix, err := w.reader.ReadLine()
		if err != nil {
			return nil, err
		}
		buf.Write(part)
		if buf.Len() > maxReply {
			return nil, errors.New("reply too long")
		}
		if !isPrefix {
			return buf.Bytes(), nil
		}
	}
}

func replyError(fields []json.RawMessage) error {
	var code, extended int
	var message string
	if len(fields) == 3 {
		json.Unmarshal(fields[0], &code)
		json.Unmarshal(fields[1], &extended)
		json.Unmarshal(fields[2], &message)
	}
	if code == 0 {
		code, extended, message = int(ErrError), int(ErrError), "SQL logic error"
	}
	return Error{Code: ErrNo(code), ExtendedCode: ErrNoExtended(extended), err: message}
}

// encodeValue maps a driver.Value to the wire: what go-sqlite3 would bind.
func encodeValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, int64, string:
		return x, nil
	case float64:
		return map[string]string{"f": strconv.FormatFloat(x, 'g', -1, 64)}, nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case []byte:
		if x == nil {
			return nil, nil
		}
		return map[string]string{"b": hex.EncodeToString(x)}, nil
	case time.Time:
		return x.Format(SQLiteTimestampFormats[0]), nil
	}
	return nil, fmt.Errorf("unsupported type %T, a %T", v, v)
}

// decodeValue maps a wire value to what go-sqlite3 returns from Next.
func decodeValue(raw json.RawMessage) (any, error) {
	var v any
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	if err := decoder.Decode(&v); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case nil, string:
		return x, nil
	case json.Number:
		return x.Int64()
	case map[string]any:
		if f, ok := x["f"].(string); ok {
			value, err := strconv.ParseFloat(f, 64)
			if err != nil && !math.IsInf(value, 0) {
				return nil, err
			}
			return value, nil
		}
		if b, ok := x["b"].(string); ok {
			return hex.DecodeString(b)
		}
	}
	return nil, errors.New("malformed value")
}
