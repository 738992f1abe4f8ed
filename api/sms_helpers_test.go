package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/sms/smstest"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

const (
	smsToken   = "test-auth-token"
	smsAccount = "AC0123456789abcdef0123456789abcdef"
	// smsProgram is the organization's own number.
	smsProgram = "+15550100000"
)

// smsServer is Chorus on a real listener with SMS set up for one
// organization, and a fake Twilio in front of it.
type smsServer struct {
	*testServer
	base  string
	fake  *smstest.Fake
	sms   *SMSAPI
	live  *Live
	org   *org
	admin caller
	// logs holds every log line Chorus wrote.
	logs *logBuffer
}

// logBuffer collects log output safely from many goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newSMSServer(t *testing.T, db *database.DB) *smsServer {
	t.Helper()
	fake := smstest.NewFake(smsAccount, smsToken)
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	logs := &logBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := metrics.New()
	lv, err := NewLive(context.Background(), db, log, m, fastTallies)
	if err != nil {
		t.Fatal(err)
	}
	clk := newClock()
	cfg := &config.Config{BaseURL: base, TwilioAuthToken: smsToken, TwilioAPIURL: fake.URL()}
	d := Deps{Config: cfg, DB: db, Log: log, Metrics: m, Frontend: builtFrontend, Now: clk.Now, Live: lv}
	d.SMS = NewSMS(d)
	engine, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = engine
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		fake.Close()
		ctx, cancel := context.WithTimeout(context.Background(), liveWait)
		defer cancel()
		if err := lv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	st := store.New(db)
	st.Now = clk.Now
	ts := &testServer{t: t, engine: engine, metrics: m, clock: clk, store: st, db: db}
	o := newOrg(t, st, "Harbor Program")
	s := &smsServer{testServer: ts, base: base, fake: fake, sms: d.SMS, live: lv, org: o, logs: logs,
		admin: session(t, db, st, o.Users[models.RoleAdmin], o.ID)}
	s.setUp(1000)
	return s
}

// setUp configures SMS for the organization as its admin does.
func (s *smsServer) setUp(limit int) {
	s.t.Helper()
	r := s.as(s.admin, "PUT", "/api/v1/organization/sms", map[string]any{"phone_number": smsProgram, "account_sid": smsAccount,
		"site_id": s.org.Site.ID, "monthly_cap": limit, "enabled": true})
	wantStatus(s.t, r, http.StatusOK)
}

func (s *smsServer) inboundURL() string { return s.base + "/api/v1/sms/" + s.org.ID + "/inbound" }

// text sends a text from a phone through the fake and returns the reply
// Chorus sent back ("" for none).
func (s *smsServer) text(from, body string) string {
	s.t.Helper()
	before := len(s.fake.SentTo(from))
	_, status, err := s.fake.Text(s.inboundURL(), from, smsProgram, body)
	if err != nil || status != http.StatusOK {
		s.t.Fatalf("text %q: status %d, %v", body, status, err)
	}
	sent := s.fake.SentTo(from)
	switch len(sent) - before {
	case 0:
		return ""
	case 1:
		if sent[len(sent)-1].From != smsProgram {
			s.t.Fatalf("reply from %q, want the program's number", sent[len(sent)-1].From)
		}
		return sent[len(sent)-1].Body
	}
	s.t.Fatalf("text %q: %d replies, want at most one", body, len(sent)-before)
	return ""
}

// wantReply texts and checks the reply holds every one of want.
func (s *smsServer) wantReply(from, body string, want ...string) string {
	s.t.Helper()
	reply := s.text(from, body)
	for _, w := range want {
		if !strings.Contains(reply, w) {
			s.t.Fatalf("text %q: reply %q lacks %q", body, reply, w)
		}
	}
	return reply
}

// smsSubmissions are the organization's SMS submissions.
func (s *smsServer) smsSubmissions() []models.Submission {
	s.t.Helper()
	var out []models.Submission
	if err := s.db.Where("organization_id = ? AND channel = ?", s.org.ID, models.ChannelSMS).Find(&out).Error; err != nil {
		s.t.Fatal(err)
	}
	return out
}

func (s *smsServer) count(table string) int64 {
	s.t.Helper()
	var n int64
	if err := s.db.Table(table).Count(&n).Error; err != nil {
		s.t.Fatal(err)
	}
	return n
}

func (s *smsServer) settings() SMSSettingsView {
	s.t.Helper()
	r := s.as(s.admin, "GET", "/api/v1/organization/sms", nil)
	wantStatus(s.t, r, http.StatusOK)
	var v SMSSettingsView
	if err := json.Unmarshal(r.Body.Bytes(), &v); err != nil {
		s.t.Fatal(err)
	}
	return v
}
