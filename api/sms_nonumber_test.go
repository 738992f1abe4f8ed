package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/sms/smstest"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// theNumber is the phone whose number must be found nowhere, in the
// formats people and systems write it.
const theNumber = "+15551234567"

var numberFormats = []string{"+15551234567", "15551234567", "5551234567", "(555) 123-4567", "555-123-4567", "555.123.4567", "555 123 4567"}

// TestSMSKeepsNoNumber runs every kind of exchange from one phone — whole
// feedback conversations in both languages, STOP midway, an idle
// timeout, votes in a meeting, a replay, a forged webhook, refused sends,
// the cap — then reads every column of every table and every log line
// written, and finds the number in none of its formats.
func TestSMSKeepsNoNumber(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newSMSServer(t, db)
		wantStatus(t, s.as(s.admin, "PATCH", "/api/v1/organization", map[string]any{"urgent_words": []string{"overdose"}}), http.StatusOK)

		// Feedback with every step, words that hold the number itself.
		s.wantReply(theNumber, "hi", "What do you need?")
		s.wantReply(theNumber, "1 2", "Which matter most?")
		s.wantReply(theNumber, "2", "Anything else")
		s.wantReply(theNumber, "Call me at (555) 123-4567 or 555-123-4567 about the overdose", "Your code is")
		// In Spanish, stopped midway.
		s.wantReply(theNumber, "hola", "¿Qué necesita?")
		s.wantReply(theNumber, "3", "¿Algo más")
		s.wantReply(theNumber, "ALTO", "No recibirá más mensajes")
		// Left idle.
		s.wantReply(theNumber, "START", "What do you need?")
		s.wantReply(theNumber, "4 5", "Which matter most?")
		s.clock.Advance(31 * time.Minute)
		if err := s.sms.Sweep(t.Context()); err != nil {
			t.Fatal(err)
		}
		// A meeting.
		sessionID, code, _, boss := s.meeting("en", map[string]any{"kind": "agree", "prompt": "Open on Sundays?"})
		s.wantReply(theNumber, code, "You joined")
		s.wantReply(theNumber, "1", "Vote counted")
		s.wantReply(theNumber, "3", "Vote counted")
		// A replay and a forged webhook.
		form := s.fake.InboundForm("SM0000000000000000000000000000beef", theNumber, smsProgram, "2")
		for range 2 {
			resp, err := s.fake.Post(s.inboundURL(), form, true)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		forged := smstest.NewFake(smsAccount, "not-the-token")
		resp, err := forged.Post(s.inboundURL(), form, true)
		forged.Close()
		if err != nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("forged webhook: %v %v", resp, err)
		}
		resp.Body.Close()
		// Sends the provider refuses, and a failed delivery report.
		s.fake.RefuseWith(http.StatusBadRequest)
		s.text(theNumber, "HELP")
		s.fake.RefuseWith(0)
		failed := s.fake.InboundForm("SM0000000000000000000000000000dead", theNumber, smsProgram, "")
		failed.Set("MessageStatus", "undelivered")
		failed.Set("ErrorCode", "30003")
		resp, err = s.fake.Post(s.base+"/api/v1/sms/"+s.org.ID+"/status", failed, true)
		if err != nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("status callback: %v %v", resp, err)
		}
		resp.Body.Close()
		// The cap (set by an admin who signs in afresh: time has passed).
		s.admin = session(t, db, s.store, s.org.Users[models.RoleAdmin], s.org.ID)
		s.setUp(1)
		s.text(theNumber, "HELP")
		wantStatus(t, s.as(boss, "POST", "/api/v1/sessions/"+sessionID+"/end", nil), http.StatusOK)
		if err := s.sms.Sweep(t.Context()); err != nil {
			t.Fatal(err)
		}
		if len(s.fake.SentTo(theNumber)) < 12 {
			t.Fatalf("only %d replies reached the phone: the exchanges did not happen", len(s.fake.SentTo(theNumber)))
		}
		if n := len(s.smsSubmissions()); n != 2 {
			t.Fatalf("%d submissions, want 2 (the finished one and the idle one)", n)
		}

		for _, hit := range findInDatabase(t, db, numberFormats) {
			t.Errorf("the number is in the database: %s", hit)
		}
		logs := s.logs.String()
		if !strings.Contains(logs, "sms: send a reply") || !strings.Contains(logs, "not delivered") {
			t.Fatalf("the refused send and the failed delivery were not logged; logs:\n%s", logs)
		}
		for _, line := range strings.Split(logs, "\n") {
			for _, f := range numberFormats {
				if strings.Contains(line, f) {
					t.Errorf("a log line holds the number as %q: %s", f, line)
				}
			}
		}
	})
}

// findInDatabase reads every column of every row of every table and
// returns where any of needles appears.
func findInDatabase(t *testing.T, db *database.DB, needles []string) []string {
	t.Helper()
	var tables []string
	q := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if db.Dialect == database.Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	if err := db.Raw(q).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	if len(tables) < 30 {
		t.Fatalf("found only %d tables: the search would prove nothing", len(tables))
	}
	var hits []string
	cells := 0
	for _, table := range tables {
		rows, err := db.Raw(`SELECT * FROM "` + table + `"`).Rows()
		if err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("scan %s: %v", table, err)
			}
			for i, v := range vals {
				cells++
				text := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					text = string(b)
				}
				for _, n := range needles {
					if strings.Contains(text, n) {
						hits = append(hits, fmt.Sprintf("%s.%s holds %q", table, cols[i], n))
					}
				}
			}
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if cells < 500 {
		t.Fatalf("read only %d cells: the search would prove nothing", cells)
	}
	return hits
}
