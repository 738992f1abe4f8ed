package deliver_test

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/deliver"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// clock only moves when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is an organization with a site, a kiosk, an admin, a staff user
// who reads Spanish and a policymaker.
type fixture struct {
	db     *database.DB
	st     *store.Store
	clock  *clock
	org    models.Organization
	site   models.Site
	kiosk  string
	admin  models.User
	staff  models.User
	policy models.User
}

// A Wednesday afternoon in New York.
var start = time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)

func newFixture(t *testing.T, db *database.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db, st: store.New(db), clock: &clock{t: start}}
	f.st.Now = f.clock.Now
	var err error
	if f.org, err = f.st.CreateOrganization(ctx, "Harbor Program"); err != nil {
		t.Fatal(err)
	}
	if f.site, err = f.st.CreateSite(ctx, f.org.ID, store.SiteInput{Name: "Storefront", Kind: "fixed", Setting: "urban", TimeZone: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	if _, f.kiosk, err = f.st.ProvisionKiosk(ctx, f.org.ID, f.site.ID, "Front desk"); err != nil {
		t.Fatal(err)
	}
	member := func(email string, role models.Role) models.User {
		m, _, err := f.st.CreateMember(ctx, f.org.ID, email, role, "correct horse battery staple", false)
		if err != nil {
			t.Fatal(err)
		}
		return m.User
	}
	f.admin = member("admin@harbor.test", models.RoleAdmin)
	f.staff = member("staff@harbor.test", models.RoleStaff)
	f.policy = member("policy@harbor.test", models.RolePolicymaker)
	if err := db.Model(&models.User{}).Where("id = ?", f.staff.ID).Update("language", "es").Error; err != nil {
		t.Fatal(err)
	}
	return f
}

// other is a second chorus process on the same database: its own pool and
// store, the same clock.
func (f *fixture) other(t *testing.T) *store.Store {
	t.Helper()
	db, err := database.Open(context.Background(), f.db.Source, testutil.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	st := store.New(db)
	st.Now = f.clock.Now
	return st
}

// submit stores a kiosk submission, with free text when text is not empty.
func (f *fixture) submit(t *testing.T, in store.SubmissionInput) store.Submitted {
	t.Helper()
	ctx := context.Background()
	ka, err := f.st.KioskByToken(ctx, f.kiosk)
	if err != nil {
		t.Fatal(err)
	}
	if in.Language == "" {
		in.Language = "en"
	}
	out, err := f.st.Submit(ctx, ka, models.NewID(), []byte(models.NewID()), in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *fixture) worker(st *store.Store, mailer deliver.Mailer) *deliver.Worker {
	w := deliver.NewWorker(st, "https://chorus.test", mailer, testutil.Logger())
	w.Backoff = func(int) time.Duration { return time.Minute }
	return w
}

func (f *fixture) deliveries(t *testing.T) []models.Delivery {
	t.Helper()
	out, err := f.st.Deliveries(context.Background(), f.org.ID, store.DeliveryFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mailbox is a real SMTP server, started for the test, that keeps every
// message it receives.
type mailbox struct {
	mu   sync.Mutex
	msgs []received
}

type received struct {
	from string
	to   []string
	raw  []byte
}

func startSMTP(t *testing.T) (*mailbox, string) {
	t.Helper()
	mb := &mailbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{mb: mb}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = srv.Serve(ln); close(done) }()
	t.Cleanup(func() { _ = srv.Close(); <-done })
	return mb, "smtp://" + ln.Addr().String()
}

type smtpSession struct {
	mb  *mailbox
	cur received
}

func (s *smtpSession) Reset()        { s.cur = received{} }
func (s *smtpSession) Logout() error { return nil }
func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	s.cur.from = from
	return nil
}
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}
func (s *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.raw = raw
	s.mb.mu.Lock()
	s.mb.msgs = append(s.mb.msgs, s.cur)
	s.mb.mu.Unlock()
	return nil
}

// to returns the messages sent to one address, parsed.
func (m *mailbox) to(t *testing.T, addr string) []parsedMail {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []parsedMail
	for _, r := range m.msgs {
		for _, to := range r.to {
			if to == addr {
				out = append(out, parseMail(t, r.raw))
			}
		}
	}
	return out
}

func (m *mailbox) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.msgs)
}

type parsedMail struct {
	subject  string
	language string
	text     string
	html     string
}

// parseMail reads a message the way a mail client would and insists on
// multipart/alternative with a plain-text and an HTML part.
func parseMail(t *testing.T, raw []byte) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	out := parsedMail{subject: subject, language: msg.Header.Get("Content-Language")}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q, want multipart/alternative", msg.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch pt {
		case "text/plain":
			out.text = string(body)
		case "text/html":
			out.html = string(body)
		default:
			t.Fatalf("unexpected part %s", pt)
		}
	}
	if out.text == "" || out.html == "" {
		t.Fatalf("want a text and an HTML part, got text %q html %q", out.text, out.html)
	}
	return out
}

// receiver is a real HTTP server that checks each webhook's signature.
type receiver struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	bodies []map[string]any
	ids    []string
	// fail answers this many requests with 500 first.
	fail int
	// now is the receiver's clock, for the replay window.
	now func() time.Time
}

func startReceiver(t *testing.T, r *receiver) *httptest.Server {
	t.Helper()
	r.t = t
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			t.Error(err)
			return
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.fail > 0 {
			r.fail--
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		err = deliver.Verify(r.secret, req.Header.Get(deliver.HeaderTimestamp), req.Header.Get(deliver.HeaderSignature), body, r.now(), 5*time.Minute)
		if err != nil {
			t.Errorf("webhook signature: %v", err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var v map[string]any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Errorf("webhook body: %v", err)
		}
		r.bodies = append(r.bodies, v)
		r.ids = append(r.ids, req.Header.Get(deliver.HeaderDelivery))
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func (r *receiver) received() []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]map[string]any(nil), r.bodies...)
}
