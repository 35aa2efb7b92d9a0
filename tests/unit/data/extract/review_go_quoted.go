package main

import (
    "database/sql"
    "encoding/json"
    "fmt"
    "log"
    "net/http"

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

func usersHandler(w http.ResponseWriter, r *http.Request) {
    db, err := sql.Open("sqlite3", "./shop.db")
    if err != nil {
        http.Error(w, err.Error(), 500)
        return
    }
    name := r.URL.Query().Get("name")
    rows, err := db.Query("SELECT id, name, email FROM users WHERE name LIKE '%" + name + "%'") // ❌ SQL injection!
    if err != nil {
        http.Error(w, err.Error(), 500)
        return
    }
    var users []User
    for rows.Next() {
        var u User
        rows.Scan(&u.ID, &u.Name, &u.Email)
        orows, _ := db.Query(fmt.Sprintf("SELECT id, total FROM orders WHERE user_id = %d", u.ID))
        for orows.Next() {
            var o Order
            orows.Scan(&o.ID, &o.Total)
            u.Orders = append(u.Orders, o)
        }
        users = append(users, u)
    }
    json.NewEncoder(w).Encode(users)
}

func main() {
    http.HandleFunc("/users", usersHandler)
    log.Fatal(http.ListenAndServe(":8080", nil))
}
