// The original program's declarations, added to a handler-only answer that
// does not declare them itself (graders/_go/harness/complete.go).
package main

type Order struct {
	ID    int     `json:"id"`
	Total float64 `json:"total"`
}

type User struct {
	ID     int     `json:"id"`
	Name   string  `json:"name"`
	Email  string  `json:"email"`
	Orders []Order `json:"orders"`
}
