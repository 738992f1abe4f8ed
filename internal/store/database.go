package store

import "github.com/chorus-hr/chorus/internal/database"

// Database is the database the store reads, for a reader that shares it
// (the reports a digest publishes).
func (s *Store) Database() *database.DB { return &database.DB{DB: s.db, Dialect: s.dialect} }
