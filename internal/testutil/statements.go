package testutil

import (
	"context"
	"slices"
	"sync"
	"time"

	"gorm.io/gorm/logger"
)

// Statements is a gorm logger that keeps every statement run, for tests
// that count queries ("no query per row"). Use it as a session's Logger.
type Statements struct {
	logger.Interface
	mu  sync.Mutex
	sql []string
}

// NewStatements returns an empty counter that logs nothing.
func NewStatements() *Statements { return &Statements{Interface: logger.Discard} }

// LogMode keeps the counter whatever level gorm asks for.
func (c *Statements) LogMode(logger.LogLevel) logger.Interface { return c }

// Trace records one statement.
func (c *Statements) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sql = append(c.sql, sql)
}

// Reset forgets the statements seen so far.
func (c *Statements) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sql = nil
}

// All returns the statements seen since the last Reset.
func (c *Statements) All() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sql)
}
