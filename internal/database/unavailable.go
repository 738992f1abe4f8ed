package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
)

// SQLite result codes that mean "not now" rather than "not this"
// (https://sqlite.org/rescode.html; an extended code's low byte is its
// primary code).
const (
	sqliteBusy      = 5
	sqliteLocked    = 6
	sqliteInterrupt = 9
	sqliteIOErr     = 10
	sqliteFull      = 13
	sqliteCantOpen  = 14
)

// Unavailable reports whether err means the database cannot answer now —
// unreachable, refusing connections, shutting down, in recovery, locked
// past its busy timeout, or slower than the deadline the caller set —
// rather than that the request itself was wrong. Such a failure is not a
// bug: the client should keep what it sent and try again later.
//
// A context canceled by the client is not unavailability: nobody is left
// to answer.
func Unavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, sql.ErrConnDone) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var (
		netErr  net.Error
		connErr *pgconn.ConnectError
		pgErr   *pgconn.PgError
		liteErr *sqlite.Error
	)
	switch {
	case errors.As(err, &pgErr):
		return pgUnavailable(pgErr.Code)
	case errors.As(err, &connErr), errors.As(err, &netErr):
		return true
	case errors.As(err, &liteErr):
		switch liteErr.Code() & 0xff {
		case sqliteBusy, sqliteLocked, sqliteInterrupt, sqliteIOErr, sqliteFull, sqliteCantOpen:
			return true
		}
		return false
	}
	// pgx reports a connection it lost mid-query in words only.
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "connection reset") ||
		strings.Contains(msg, "broken pipe")
}

// pgUnavailable reports whether a PostgreSQL SQLSTATE means "try again
// later": class 08 (connection exception), class 53 (insufficient
// resources: too many connections, out of memory or disk) and 57P01-57P05
// (the server is shutting down, crashed, cannot take connections yet, or
// ended the session).
func pgUnavailable(code string) bool {
	switch {
	case strings.HasPrefix(code, "08"), strings.HasPrefix(code, "53"):
		return true
	case code == "57P01", code == "57P02", code == "57P03", code == "57P04", code == "57P05":
		return true
	}
	return false
}
