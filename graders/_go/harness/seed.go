package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "github.com/mattn/go-sqlite3" // the real driver (Debian's), not the shim
)

// seedDatabase creates a fresh database from the task's SQL, so every run
// starts from the same data whatever the previous answer did.
func seedDatabase(cfg config, boxDir, runDir string) (string, error) {
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return "", err
	}
	if cfg.Seed == "" {
		return "", nil
	}
	script, err := os.ReadFile(filepath.Join(boxDir, cfg.Seed))
	if err != nil {
		return "", err
	}
	path := filepath.Join(runDir, cfg.Database)
	os.Remove(path)
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		return "", fmt.Errorf("sql.Open(%s): %w", path, err)
	}
	defer db.Close()
	if _, err := db.Exec(string(script)); err != nil {
		return "", fmt.Errorf("seeding %s: %w", path, err)
	}
	return path, nil
}
