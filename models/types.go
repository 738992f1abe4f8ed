// Package models holds the GORM structs stored in the database and the
// request and response types the API speaks.
package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// NewID returns a random (version 4) UUID. Rows that participants create use
// random identifiers so that an identifier says nothing about how many rows
// came before it or in what order.
func NewID() string { return uuid.NewString() }

// IsID reports whether s is shaped like an identifier. Checking first keeps
// a malformed path parameter from reaching PostgreSQL's uuid parser as an
// error instead of a plain "not found".
func IsID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// Day is a calendar day with no time of day: the finest time Chorus keeps
// about anything a participant does.
type Day struct{ t time.Time }

const dayLayout = "2006-01-02"

// DayOf returns the calendar day of t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return Day{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDay parses a YYYY-MM-DD day.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(dayLayout, s)
	if err != nil {
		return Day{}, fmt.Errorf("day %q: want YYYY-MM-DD", s)
	}
	return Day{t}, nil
}

// String formats the day as YYYY-MM-DD.
func (d Day) String() string { return d.t.Format(dayLayout) }

// Time is midnight UTC of the day.
func (d Day) Time() time.Time { return d.t }

// AddDays returns the day n days later (or earlier when n < 0).
func (d Day) AddDays(n int) Day { return Day{d.t.AddDate(0, 0, n)} }

// IsZero reports whether the day is unset.
func (d Day) IsZero() bool { return d.t.IsZero() }

// Value stores the day as YYYY-MM-DD on both databases.
func (d Day) Value() (driver.Value, error) { return d.String(), nil }

// Scan reads a DATE column, which drivers return as time.Time or text.
func (d *Day) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		y, m, dd := v.Date()
		d.t = time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
		return nil
	case string:
		return d.parseInto(v)
	case []byte:
		return d.parseInto(string(v))
	}
	return fmt.Errorf("scan day: unsupported %T", src)
}

func (d *Day) parseInto(s string) error {
	if len(s) >= len(dayLayout) {
		s = s[:len(dayLayout)]
	}
	p, err := ParseDay(s)
	*d = p
	return err
}

// MarshalJSON writes "YYYY-MM-DD".
func (d Day) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Day) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	return d.parseInto(s)
}

// Codes is an ordered list of stable category codes, stored as a JSON array.
type Codes []string

// Value stores the list as JSON text (jsonb on PostgreSQL).
func (c Codes) Value() (driver.Value, error) { return jsonValue(c, "[]") }

// Scan reads a JSON array.
func (c *Codes) Scan(src any) error { return jsonScan(src, c) }

// Text is a piece of text in several languages, keyed by language code.
type Text map[string]string

// Value stores the translations as a JSON object.
func (t Text) Value() (driver.Value, error) { return jsonValue(t, "{}") }

// Scan reads a JSON object.
func (t *Text) Scan(src any) error { return jsonScan(src, t) }

// In returns the text in lang, falling back to English and then to any
// language present.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s, ok := t["en"]; ok && s != "" {
		return s
	}
	for _, s := range t {
		return s
	}
	return ""
}

// Bands holds a participant's optional answers about themselves, each a
// coarse band code; a skipped question is absent.
type Bands map[string]string

// Value stores the bands as a JSON object.
func (b Bands) Value() (driver.Value, error) { return jsonValue(b, "{}") }

// Scan reads a JSON object.
func (b *Bands) Scan(src any) error { return jsonScan(src, b) }

func jsonValue(v any, empty string) (driver.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if string(b) == "null" {
		return empty, nil
	}
	return string(b), nil
}

func jsonScan(src, dst any) error {
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		return json.Unmarshal([]byte(v), dst)
	case []byte:
		return json.Unmarshal(v, dst)
	}
	return fmt.Errorf("scan json: unsupported %T", src)
}

// Resource is a "Need help now?" entry on the kiosk: a name, a line of
// detail and, often, a number to call.
type Resource struct {
	Label  Text   `json:"label"`
	Detail Text   `json:"detail"`
	Phone  string `json:"phone,omitempty"`
}

// Resources is an organization's list, stored as one JSON array.
type Resources []Resource

// Value stores the list as a JSON array.
func (l Resources) Value() (driver.Value, error) { return jsonValue(l, "[]") }

// Scan reads a JSON array.
func (l *Resources) Scan(src any) error { return jsonScan(src, l) }
