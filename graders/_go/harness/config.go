package main

import (
	"encoding/json"
	"fmt"
	"os"
)

// config is the task's part of the Go harness (graders/<task>/gbgo.json).
type config struct {
	Database    string   `json:"database"`     // an empty placeholder file in the server's directory
	Prelude     string   `json:"prelude"`      // Go file: the original's declarations, for completion
	Route       string   `json:"route"`        // where a completed handler is mounted
	HandlerHint string   `json:"handler_hint"` // substring of the handler's name, to choose among several
	Driver      string   `json:"driver"`       // sql.Open driver name for a completed main
	Env         []string `json:"env"`          // extra environment for the server
	Importcfg   string   `json:"importcfg"`    // every prebuilt archive: what the linker needs
	Compilecfg  string   `json:"compilecfg"`   // what the answer may import: std and the driver
	Ldflags     []string `json:"ldflags"`      // extra linker flags
	BuildSecs   float64  `json:"build_seconds"`
}

type inputs struct {
	Answer string   `json:"answer"`
	Files  []string `json:"files"`
}

func readJSON(path string, into any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func readInputs(path string) (inputs, error) {
	var in inputs
	err := readJSON(path, &in)
	return in, err
}

func readConfig(path string) (config, error) {
	cfg := config{Route: "/", Driver: "sqlite3", BuildSecs: 30,
		Importcfg: "/opt/gradebox/go/pkg/importcfg", Compilecfg: "/opt/gradebox/go/pkg/importcfg.compile"}
	if err := readJSON(path, &cfg); err != nil {
		return cfg, err
	}
	if dir := os.Getenv("GBX_GO_ROOT"); dir != "" { // dev runs outside the sandbox
		cfg.Importcfg = dir + "/pkg/importcfg.host"
		cfg.Compilecfg = dir + "/pkg/importcfg.compile.host"
	}
	return cfg, nil
}
