package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// rotatePoster gives o's site a new poster code as its staff member would.
func rotatePoster(t *testing.T, s *testServer, o *org) Poster {
	t.Helper()
	staff := session(t, s.db, s.store, o.Users[models.RoleStaff], o.ID)
	r := s.as(staff, "POST", "/api/v1/sites/"+o.Site.ID+"/poster", map[string]any{})
	wantStatus(t, r, http.StatusCreated)
	var body struct{ Poster Poster }
	if err := json.Unmarshal(r.Body.Bytes(), &body); err != nil || body.Poster.Code == "" {
		t.Fatalf("rotate answered %s", r.Body.String())
	}
	return body.Poster
}

// phoneSubmit sends one own-phone submission from a client address.
func phoneSubmit(s *testServer, code, addr, key string, body any) response {
	s.t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.doWith("POST", "/api/v1/phone/"+code+"/submissions", func(req *http.Request) {
		req.Body = io.NopCloser(bytes.NewReader(data))
		req.ContentLength = int64(len(data))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(IdempotencyHeader, key)
		req.RemoteAddr = addr + ":4000"
	})
}

func TestPhoneFeedbackFromAPoster(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Phone Program")
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		r := s.as(staff, "GET", "/api/v1/sites/"+o.Site.ID+"/poster", nil)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), `"poster":null`) {
			t.Fatalf("a site without a poster: %s", r.Body.String())
		}
		p := rotatePoster(t, s, o)
		if p.URL != "http://chorus.test/p/"+p.Code || len(p.Code) != store.PosterCodeLength {
			t.Fatalf("poster %+v", p)
		}

		r = s.do("GET", "/api/v1/phone/"+strings.ToLower(p.Code)+"/config", nil)
		wantStatus(t, r, http.StatusOK)
		var cfg PhoneConfig
		if err := json.Unmarshal(r.Body.Bytes(), &cfg); err != nil || cfg.Site.ID != o.Site.ID || len(cfg.Needs) == 0 ||
			cfg.Board == nil || *cfg.Board == "" {
			t.Fatalf("config %s", r.Body.String())
		}
		if strings.Contains(r.Body.String(), `"kiosk"`) {
			t.Errorf("a phone's configuration names a kiosk: %s", r.Body.String())
		}

		body := map[string]any{"language": "en", "needs": []string{"housing"}, "text": "Overdose at the van, call me at 555-123-4567"}
		first := phoneSubmit(s, p.Code, "198.51.100.7", "key-1", body)
		wantStatus(t, first, http.StatusCreated)
		again := phoneSubmit(s, p.Code, "198.51.100.7", "key-1", body)
		wantStatus(t, again, http.StatusOK)
		if again.Body.String() != first.Body.String() {
			t.Fatalf("replay answered %s, want %s", again.Body.String(), first.Body.String())
		}
		r = phoneSubmit(s, p.Code, "198.51.100.7", "key-1", map[string]any{"language": "en", "needs": []string{"food"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if r.errorBody(t).Code != "idempotency_mismatch" {
			t.Fatalf("mismatch: %s", r.Body.String())
		}

		var created SubmissionCreated
		if err := json.Unmarshal(first.Body.Bytes(), &created); err != nil {
			t.Fatal(err)
		}
		var sub models.Submission
		if err := db.First(&sub, "id = ?", created.ID).Error; err != nil {
			t.Fatal(err)
		}
		if sub.Channel != models.ChannelPhone || sub.KioskID != nil || sub.SiteID != o.Site.ID {
			t.Fatalf("stored %+v, want a phone submission at the site without a kiosk", sub)
		}
		var text models.FeedbackText
		if err := db.First(&text, "submission_id = ?", sub.ID).Error; err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text.Body, "555") || text.State != models.TextPending {
			t.Errorf("free text %+v: want scrubbed and waiting for moderation", text)
		}
		if n := countRows(t, db, &models.Alert{}); n != 1 {
			t.Errorf("%d urgent alerts, want 1", n)
		}

		// A signed-in staff member's browser submits like any phone: the
		// session is not read, so no CSRF token is asked for.
		r = s.do("POST", "/api/v1/phone/"+p.Code+"/submissions", map[string]any{"language": "es"},
			append([]string{IdempotencyHeader, "key-2"}, staff.headers[:2]...)...)
		wantStatus(t, r, http.StatusCreated)

		// Staff rotate the code: the old poster says so, and stores nothing.
		before := countRows(t, db, &models.Submission{})
		next := rotatePoster(t, s, o)
		for _, r := range []response{
			s.do("GET", "/api/v1/phone/"+p.Code+"/config", nil),
			phoneSubmit(s, p.Code, "198.51.100.7", "key-3", body),
		} {
			wantStatus(t, r, http.StatusGone)
			if e := r.errorBody(t); e.Code != CodePosterRetired || !strings.Contains(e.Message, "no longer in use") {
				t.Errorf("old poster: %+v", e)
			}
		}
		if n := countRows(t, db, &models.Submission{}); n != before {
			t.Fatalf("%d submissions after the old poster's, want %d", n, before)
		}
		wantStatus(t, phoneSubmit(s, next.Code, "198.51.100.7", "key-3", body), http.StatusCreated)
		r = s.do("GET", "/api/v1/phone/2222222222/config", nil)
		wantStatus(t, r, http.StatusNotFound)
		if r.errorBody(t).Code != CodePosterUnknown {
			t.Errorf("unknown poster: %s", r.Body.String())
		}

		events, err := s.store.AuditEvents(t.Context(), o.ID, storeFilter(store.AuditPosterIssued))
		if err != nil || len(events) != 2 {
			t.Fatalf("audit: %d poster events, %v; want 2", len(events), err)
		}
	})
}

// A phone that sent a submission before staff rotated the poster, and lost
// the answer, sends it again after: it was stored, so it is acknowledged
// (200, the same id), even after a second rotation. What the phone queued
// and never sent is refused in plain words (410 poster_retired: not sent,
// scan the new poster) and stores nothing.
func TestPhoneReplayAfterThePosterIsRotated(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Rotating Program")
		old := rotatePoster(t, s, o)
		body := map[string]any{"language": "es", "needs": []string{"housing"}, "text": "Más horas por la tarde."}
		first := phoneSubmit(s, old.Code, "198.51.100.9", "sent-before", body)
		wantStatus(t, first, http.StatusCreated)
		rotatePoster(t, s, o)
		before := countRows(t, db, &models.Submission{})

		for round := range 2 {
			again := phoneSubmit(s, old.Code, "198.51.100.9", "sent-before", body)
			wantStatus(t, again, http.StatusOK)
			if again.Body.String() != first.Body.String() {
				t.Fatalf("round %d: the replay answered %s, want %s", round, again.Body.String(), first.Body.String())
			}
			rotatePoster(t, s, o)
		}

		changed := phoneSubmit(s, old.Code, "198.51.100.9", "sent-before", map[string]any{"language": "es"})
		wantStatus(t, changed, http.StatusUnprocessableEntity)
		if changed.errorBody(t).Code != "idempotency_mismatch" {
			t.Errorf("the same key with another body: %s", changed.Body.String())
		}
		queued := phoneSubmit(s, old.Code, "198.51.100.9", "queued-offline", body)
		wantStatus(t, queued, http.StatusGone)
		if e := queued.errorBody(t); e.Code != CodePosterRetired || !strings.Contains(e.Message, "not sent") || !strings.Contains(e.Message, "new poster") {
			t.Errorf("never sent before the rotation: %+v", e)
		}
		if n := countRows(t, db, &models.Submission{}); n != before {
			t.Fatalf("%d submissions after the old poster's replays, want %d", n, before)
		}
		if n := countRows(t, db, &models.FeedbackText{}); n != 1 {
			t.Fatalf("%d free texts, want the one sent before the rotation", n)
		}
	})
}

// One address is held to its burst, others are not; a site takes at most
// its own burst whatever the addresses. Refused submissions store nothing.
func TestPhoneSubmissionsAreRateLimited(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Busy Program")
		p := rotatePoster(t, s, o)
		body := map[string]any{"language": "en"}
		n := 0
		send := func(addr string) response {
			n++
			return phoneSubmit(s, p.Code, addr, fmt.Sprint("key-", n), body)
		}
		for range 20 {
			wantStatus(t, send("203.0.113.1"), http.StatusCreated)
		}
		r := send("203.0.113.1")
		wantStatus(t, r, http.StatusTooManyRequests)
		if r.Header().Get("Retry-After") == "" || r.errorBody(t).Code != CodeRateLimited {
			t.Fatalf("429 without Retry-After or code: %v %s", r.Header(), r.Body.String())
		}
		// Another address still gets through, until the site's burst is spent.
		stored := 20
		for i := 2; stored < 100; i++ {
			for range min(20, 100-stored) {
				wantStatus(t, send(fmt.Sprintf("203.0.113.%d", i)), http.StatusCreated)
				stored++
			}
		}
		wantStatus(t, send("203.0.113.200"), http.StatusTooManyRequests)
		if got := countRows(t, db, &models.Submission{}); got != 100 {
			t.Fatalf("%d stored, want 100", got)
		}
		// Time refills both.
		s.clock.Advance(15 * time.Second)
		wantStatus(t, send("203.0.113.1"), http.StatusCreated)
	})
}

// Reports tell kiosk from own-phone feedback, through suppression.
func TestReportsCountChannels(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Channel Program")
		p := rotatePoster(t, s, o)
		body := map[string]any{"language": "en", "needs": []string{"food"}}
		for i := range 14 {
			wantStatus(t, submit(s, o.KioskToken, fmt.Sprint("kiosk-", i), body), http.StatusCreated)
		}
		for i := range 12 {
			wantStatus(t, phoneSubmit(s, p.Code, "198.51.100.9", fmt.Sprint("phone-", i), body), http.StatusCreated)
		}
		wantStatus(t, phoneSubmit(s, p.Code, "198.51.100.9", "phone-x", body), http.StatusCreated)
		policymaker := session(t, db, s.store, o.Users[models.RolePolicymaker], o.ID)
		r := s.as(policymaker, "GET", "/api/v1/reports/channels?from=2026-11-01&to=2026-11-30", nil)
		wantStatus(t, r, http.StatusOK)
		var ch struct {
			Channels []struct {
				Code  string
				Total *int
			}
			Total *int
		}
		if err := json.Unmarshal(r.Body.Bytes(), &ch); err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, row := range ch.Channels {
			if row.Total != nil {
				got[row.Code] = *row.Total
			}
		}
		if got[models.ChannelKiosk] != 14 || got[models.ChannelPhone] != 13 || ch.Total == nil || *ch.Total != 27 {
			t.Fatalf("channels %v, want kiosk 14 and phone 13 of 27: %s", got, r.Body.String())
		}
	})
}

// A few phones beside many kiosk answers: the phones' count is hidden, and
// so is the kiosk's, which the total shown would otherwise give away.
func TestReportsHideEveryChannelOfALine(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Few Phones Program")
		p := rotatePoster(t, s, o)
		body := map[string]any{"language": "en"}
		for i := range 14 {
			wantStatus(t, submit(s, o.KioskToken, fmt.Sprint("kiosk-", i), body), http.StatusCreated)
		}
		for i := range 3 {
			wantStatus(t, phoneSubmit(s, p.Code, "198.51.100.9", fmt.Sprint("phone-", i), body), http.StatusCreated)
		}
		policymaker := session(t, db, s.store, o.Users[models.RolePolicymaker], o.ID)
		r := s.as(policymaker, "GET", "/api/v1/reports/channels?from=2026-11-01&to=2026-11-30", nil)
		wantStatus(t, r, http.StatusOK)
		var ch struct {
			Channels []struct {
				Cells []*int
				Total *int
			}
			Total *int
		}
		if err := json.Unmarshal(r.Body.Bytes(), &ch); err != nil {
			t.Fatal(err)
		}
		if ch.Total == nil || *ch.Total != 17 {
			t.Fatalf("total: %s", r.Body.String())
		}
		for _, row := range ch.Channels {
			if row.Total != nil && *row.Total == 0 {
				// No one texted: a channel no one used hides no one, and
				// showing its zero tells nothing of the other two.
				continue
			}
			if row.Total != nil || row.Cells[0] != nil {
				t.Fatalf("a channel is shown beside a hidden one: %s", r.Body.String())
			}
		}
	})
}
