package main

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

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

type server struct {
	db *sql.DB
}

const usersQuery = `
SELECT u.id, u.name, u.email, o.id, o.total
FROM users u
LEFT JOIN orders o ON o.user_id = u.id
WHERE u.name LIKE ?
ORDER BY u.id, o.id`

func (s *server) usersHandler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	rows, err := s.db.QueryContext(r.Context(), usersQuery, "%"+name+"%")
	if err != nil {
		log.Printf("query users: %v", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	users := []User{}
	index := map[int]int{}
	for rows.Next() {
		var u User
		var orderID sql.NullInt64
		var total sql.NullFloat64
		if err := rows.Scan(&u.ID, &u.Name, &u.Email, &orderID, &total); err != nil {
			log.Printf("scan: %v", err)
			http.Error(w, "internal server error", http.StatusInternalServerError)
			return
		}
		i, seen := index[u.ID]
		if !seen {
			u.Orders = []Order{}
			users = append(users, u)
			i = len(users) - 1
			index[u.ID] = i
		}
		if orderID.Valid {
			users[i].Orders = append(users[i].Orders, Order{ID: int(orderID.Int64), Total: total.Float64})
		}
	}
	if err := rows.Err(); err != nil {
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(users)
}

func main() {
	db, err := sql.Open("sqlite3", "./shop.db")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(10)

	s := &server{db: db}
	mux := http.NewServeMux()
	mux.HandleFunc("/users", s.usersHandler)
	srv := &http.Server{
		Addr:         ":8080",
		Handler:      mux,
		ReadTimeout:  5 * time.Second,
		WriteTimeout: 10 * time.Second,
	}
	log.Fatal(srv.ListenAndServe())
}
