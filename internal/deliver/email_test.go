package deliver_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/deliver"
)

func TestNewSMTPRefusesBadSettingsWithoutRepeatingThem(t *testing.T) {
	for _, c := range []struct{ url, from string }{
		{"http://user:hunter2-password@mail.example.org", "chorus@example.org"},
		{"smtp://user:hunter2-password@mail.example.org:port", "chorus@example.org"},
		{"smtp://user:hunter2-password@mail.example.org", ""},
		{"smtp://user:hunter2-password@mail.example.org", "not an address"},
	} {
		_, err := deliver.NewSMTP(c.url, c.from)
		if err == nil {
			t.Errorf("%s / %q accepted", c.url, c.from)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the error repeats the password: %v", err)
		}
	}
	if _, err := deliver.NewSMTP("smtps://mail.example.org", "chorus@example.org"); err != nil {
		t.Errorf("smtps without a port: %v", err)
	}
}

// A server that refuses the connection gives an error that names neither
// the password nor the URL.
func TestSMTPErrorsHoldNoPassword(t *testing.T) {
	m, err := deliver.NewSMTP("smtp://user:hunter2-password@127.0.0.1:1", "chorus@example.org")
	if err != nil {
		t.Fatal(err)
	}
	err = m.Send(context.Background(), deliver.Email{To: "a@example.org", Subject: "s", Text: "t", HTML: "<p>t</p>", Language: "en"})
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("got %v", err)
	}
}

// The back-off doubles from 30 s, never passes an hour, and keeps at least
// half of its step.
func TestBackoff(t *testing.T) {
	for attempt, step := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 5: 8 * time.Minute, 8: time.Hour, 60: time.Hour} {
		for range 50 {
			if d := deliver.Backoff(attempt); d < step/2 || d > step {
				t.Fatalf("attempt %d waits %s, want %s to %s", attempt, d, step/2, step)
			}
		}
	}
}
