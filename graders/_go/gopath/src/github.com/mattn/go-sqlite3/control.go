package sqlite3

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
)

// counters are read by the trusted prober over the control port. They live
// in the answer's process, so the prober judges them together with what the
// server observably does, never alone.
type counters struct {
	opens, connsOpened, connsClosed, statements, prepares, stmtsClosed atomic.Int64
	rowsOpened, rowsClosed, txBegun, txEnded, injectedErrors           atomic.Int64
}

var stats counters

// injection: while armed, every driver call fails with this message.
var injection struct {
	sync.RWMutex
	message string
}

func injected() error {
	injection.RLock()
	defer injection.RUnlock()
	if injection.message == "" {
		return nil
	}
	stats.injectedErrors.Add(1)
	return errors.New(injection.message)
}

func snapshot() map[string]int64 {
	return map[string]int64{
		"opens":           stats.opens.Load(),
		"conns_opened":    stats.connsOpened.Load(),
		"conns_closed":    stats.connsClosed.Load(),
		"statements":      stats.statements.Load(),
		"prepares":        stats.prepares.Load(),
		"stmts_closed":    stats.stmtsClosed.Load(),
		"rows_opened":     stats.rowsOpened.Load(),
		"rows_closed":     stats.rowsClosed.Load(),
		"tx_begun":        stats.txBegun.Load(),
		"tx_ended":        stats.txEnded.Load(),
		"injected_errors": stats.injectedErrors.Load(),
	}
}

// startControl serves the counters and the error switch on a loopback port
// of its own mux (never http.DefaultServeMux, which is the answer's).
func startControl() {
	addr := os.Getenv("GBX_CONTROL_ADDR")
	if addr == "" {
		return
	}
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return // the prober then finds no counters: count tests fail
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/counts", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(snapshot())
	})
	mux.HandleFunc("/inject", func(w http.ResponseWriter, r *http.Request) {
		injection.Lock()
		injection.message = r.URL.Query().Get("message")
		injection.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	go (&http.Server{Handler: mux}).Serve(listener)
}
