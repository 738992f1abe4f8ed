// Package store is Chorus's data access. Every method takes a context and
// is scoped to an organization where the data belongs to one, so no caller
// can reach another organization's rows by passing a foreign identifier.
package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/database"
)

// Domain errors. The API maps them to HTTP statuses in one place.
var (
	// ErrNotFound means no such row in the caller's organization.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the row would duplicate an existing one.
	ErrConflict = errors.New("already exists")
	// ErrCredentials means a secret did not match; the caller learns no more.
	ErrCredentials = errors.New("credentials not accepted")
	// ErrChanged means someone else changed the row at the same time.
	ErrChanged = errors.New("changed by someone else")
)

// InvalidError is input the store refuses, naming the field at fault.
type InvalidError struct {
	Field, Reason string
}

func (e *InvalidError) Error() string { return e.Field + " " + e.Reason }

func invalid(field, reason string) error { return &InvalidError{Field: field, Reason: reason} }

// Store reads and writes Chorus's data.
type Store struct {
	db      *gorm.DB
	dialect database.Dialect
	// Now is the clock; tests move it.
	Now func() time.Time
	// codes caches the active category codes per organization, checked
	// against categories_version on every use (categories.go).
	codes *sync.Map // orgID → *codeSets
	// group gathers concurrent submissions into one commit (group.go).
	group *groupCommitter
	// kiosks, when set, keeps kiosk authentications (kioskcache.go).
	kiosks *KioskCache
}

// New returns a store over db.
func New(db *database.DB) *Store {
	s := &Store{db: db.DB, dialect: db.Dialect, Now: func() time.Time { return time.Now().UTC() }, codes: &sync.Map{}}
	s.group = &groupCommitter{commit: s.commitGroup}
	return s
}

func (s *Store) now() time.Time { return s.Now().UTC() }

// conn returns the transaction carried in ctx, or the database.
func (s *Store) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return s.db.WithContext(ctx)
}

type txKey struct{}

// InTx runs fn in one transaction; store calls made with the ctx it is
// given join that transaction.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// errNotFound is gorm's, so translate treats a missing row and an update
// that touched nothing alike.
var errNotFound = gorm.ErrRecordNotFound

// translate turns gorm's errors into the store's.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%s: %w", what, ErrConflict)
	}
	return fmt.Errorf("%s: %w", what, err)
}
