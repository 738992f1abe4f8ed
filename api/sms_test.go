package api

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/sms/smstest"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

var receiptInReply = regexp.MustCompile(`[0-9A-Z]{3}-[0-9A-Z]{3}`)

// TestSMSFeedbackEveryStep drives a whole conversation in each language:
// the first text picks the language, then needs, the top three, free
// text, and a receipt code that the public board knows.
func TestSMSFeedbackEveryStep(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newSMSServer(t, db)
		cases := []struct {
			phone, hello, language               string
			welcome, needs, priorities, anything string
			words, thanks                        string
		}{
			{"+15550111001", "Hi", "en", "We do not keep your phone number", "1 Sterile syringes and supplies", "Which matter most?",
				"Anything else", "More sterile supplies near the bridge, please.", "Your code is"},
			{"+15550111002", "HOLA", "es", "No guardamos su número", "1 Jeringas y material estéril", "¿Qué es lo más importante?",
				"¿Algo más", "Necesitamos más material estéril cerca del puente.", "Su código es"},
		}
		for _, tc := range cases {
			s.wantReply(tc.phone, tc.hello, "Harbor Program", tc.welcome, tc.needs, "10 ")
			s.wantReply(tc.phone, "1, 3 and 10", tc.priorities, "3 ", "10 ")
			s.wantReply(tc.phone, "10 1", tc.anything)
			reply := s.wantReply(tc.phone, tc.words, tc.thanks, s.base+"/board/")
			code := receiptInReply.FindString(reply)
			if code == "" {
				t.Fatalf("%s: no receipt code in %q", tc.language, reply)
			}
			wantStatus(t, s.do("POST", "/api/v1/public/"+boardSlug(t, s)+"/receipt", map[string]string{"code": code}), http.StatusOK)
		}
		subs := s.smsSubmissions()
		if len(subs) != 2 {
			t.Fatalf("%d SMS submissions, want 2", len(subs))
		}
		for _, sub := range subs {
			if !slices.Equal(sub.Needs, models.Codes{"sterile_supplies", "test_strips", "housing"}) ||
				!slices.Equal(sub.Priorities, models.Codes{"housing", "sterile_supplies"}) || sub.SiteID != s.org.Site.ID {
				t.Errorf("submission %+v", sub)
			}
		}
		languages := []string{subs[0].Language, subs[1].Language}
		slices.Sort(languages)
		if !slices.Equal(languages, []string{"en", "es"}) {
			t.Errorf("languages %v", languages)
		}
		var texts []models.FeedbackText
		if err := db.Where("organization_id = ?", s.org.ID).Find(&texts).Error; err != nil || len(texts) != 2 {
			t.Fatalf("%d free texts (%v), want 2 waiting for moderation", len(texts), err)
		}
		for _, ft := range texts {
			if ft.State != models.TextPending {
				t.Errorf("free text %q is %s, want pending like a kiosk's", ft.Body, ft.State)
			}
		}
		if n := s.count("sms_conversations"); n != 0 {
			t.Errorf("%d conversations left after both ended", n)
		}
	})
}

func boardSlug(t *testing.T, s *smsServer) string {
	t.Helper()
	org, err := s.store.Organization(context.Background(), s.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	return org.Slug
}

// TestSMSFeedbackSkips: every step can be skipped, and what was given is
// kept; a conversation with nothing given leaves nothing.
func TestSMSFeedbackSkips(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newSMSServer(t, db)
		// Skips the needs (so no top three), writes words.
		s.wantReply("+15550122001", "hello", "What do you need?")
		s.wantReply("+15550122002", "hola", "¿Qué necesita?")
		s.wantReply("+15550122001", "skip", "Anything else")
		s.wantReply("+15550122001", "The van comes too early in the morning.", "Thank you")
		// Picks needs, skips the top three and the words.
		s.wantReply("+15550122002", "2 11", "¿Qué es lo más importante?")
		s.wantReply("+15550122002", "saltar", "¿Algo más")
		s.wantReply("+15550122002", "0", "Gracias")
		// Skips everything: thanked, with no code to look up.
		s.wantReply("+15550122003", "hi", "Reply 0 to skip")
		s.wantReply("+15550122003", "0", "Anything else")
		if reply := s.wantReply("+15550122003", "0", "Thank you"); strings.Contains(reply, "code") {
			t.Errorf("a receipt code for nothing given: %q", reply)
		}
		// A reply that is not numbers from the list is asked again.
		s.wantReply("+15550122004", "hi", "What do you need?")
		s.wantReply("+15550122004", "99", "Please reply with numbers from the list")

		subs := s.smsSubmissions()
		if len(subs) != 2 {
			t.Fatalf("%d submissions, want 2 (the one with nothing given leaves none)", len(subs))
		}
		byLang := map[string]models.Submission{}
		for _, sub := range subs {
			byLang[sub.Language] = sub
		}
		if en := byLang["en"]; len(en.Needs) != 0 || len(en.Priorities) != 0 {
			t.Errorf("english: %+v, want no needs", en)
		}
		if es := byLang["es"]; !slices.Equal(es.Needs, models.Codes{"naloxone", "food"}) || len(es.Priorities) != 0 {
			t.Errorf("spanish: %+v", es)
		}
		var texts int64
		db.Model(&models.FeedbackText{}).Where("organization_id = ?", s.org.ID).Count(&texts)
		if texts != 1 {
			t.Errorf("%d free texts, want 1", texts)
		}
	})
}

// TestSMSIdleTimeout: a conversation left for 30 minutes ends at the next
// sweep, and what was given is kept as one submission.
func TestSMSIdleTimeout(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newSMSServer(t, db)
		ctx := context.Background()
		s.wantReply("+15550133001", "Buenas tardes", "¿Qué necesita?")
		s.wantReply("+15550133001", "2 5", "¿Qué es lo más importante?")
		s.wantReply("+15550133002", "hi", "What do you need?")
		s.clock.Advance(29 * time.Minute)
		if err := s.sms.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(s.smsSubmissions()); n != 0 {
			t.Fatalf("%d submissions before 30 idle minutes", n)
		}
		s.wantReply("+15550133002", "11", "Anything else") // keeps this one alive
		s.clock.Advance(2 * time.Minute)
		if err := s.sms.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		subs := s.smsSubmissions()
		if len(subs) != 1 || subs[0].Language != "es" || !slices.Equal(subs[0].Needs, models.Codes{"naloxone", "sexual_health"}) {
			t.Fatalf("after the idle sweep: %+v, want the Spanish needs kept", subs)
		}
		if n := s.count("sms_conversations"); n != 1 {
			t.Fatalf("%d conversations, want only the one still going", n)
		}
		// The next text starts a new conversation.
		s.wantReply("+15550133001", "hola", "díganos qué le ayudaría")
		// Idle past its end but not swept yet: the text ends it first.
		s.clock.Advance(31 * time.Minute)
		s.wantReply("+15550133002", "hello again", "What do you need?")
		if n := len(s.smsSubmissions()); n != 2 {
			t.Fatalf("%d submissions, want 2", n)
		}
	})
}

// TestSMSStopHelpStart: STOP (or ALTO) midway ends the conversation and
// drops what it held; HELP (AYUDA) answers; START begins again.
func TestSMSStopHelpStart(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newSMSServer(t, db)
		s.wantReply("+15550144001", "hi", "What do you need?")
		s.wantReply("+15550144001", "1 2", "Which matter most?")
		s.wantReply("+15550144001", "STOP", "You will get no more texts from Harbor Program", "START")
		s.wantReply("+15550144002", "hola", "¿Qué necesita?")
		s.wantReply("+15550144002", "Alto", "No recibirá más mensajes", "COMENZAR")
		if n := len(s.smsSubmissions()); n != 0 {
			t.Fatalf("%d submissions after STOP, want none", n)
		}
		if n := s.count("sms_conversations"); n != 0 {
			t.Fatalf("%d conversations after STOP", n)
		}
		s.wantReply("+15550144003", "HELP", "anonymous feedback by text", "Reply STOP")
		s.wantReply("+15550144004", "ayuda", "opiniones anónimas", "ALTO")
		s.wantReply("+15550144001", "START", "What do you need?")
	})
}

// TestSMSUrgentWords: urgent words in texted words alert staff as on the
// kiosk.
func TestSMSUrgentWords(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newSMSServer(t, db)
		wantStatus(t, s.as(s.admin, "PATCH", "/api/v1/organization", map[string]any{"urgent_words": []string{"overdose"}}), http.StatusOK)
		s.wantReply("+15550155001", "hi", "What do you need?")
		s.wantReply("+15550155001", "0", "Anything else")
		s.wantReply("+15550155001", "Someone had an overdose by the river last night", "Thank you")
		var alerts []models.Alert
		if err := db.Where("organization_id = ?", s.org.ID).Find(&alerts).Error; err != nil || len(alerts) != 1 ||
			!slices.Contains(alerts[0].Matched, "overdose") {
			t.Fatalf("alerts %+v (%v), want one for the urgent word", alerts, err)
		}
	})
}

// TestSMSSignatureAndReplay: a webhook with a missing or wrong signature
// is refused with 403 and stores nothing; a replay of a handled message
// changes nothing and sends nothing.
func TestSMSSignatureAndReplay(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newSMSServer(t, db)
		tables := []string{"sms_conversations", "sms_seen", "sms_keys", "sms_usage", "submissions"}
		before := map[string]int64{}
		for _, tb := range tables {
			before[tb] = s.count(tb)
		}
		form := s.fake.InboundForm("SM00000000000000000000000000000001", "+15550166001", smsProgram, "hi")
		for name, post := range map[string]func() (*http.Response, error){
			"missing": func() (*http.Response, error) { return s.fake.Post(s.inboundURL(), form, false) },
			"wrong": func() (*http.Response, error) {
				other := smstest.NewFake(smsAccount, "another-token")
				defer other.Close()
				return other.Post(s.inboundURL(), form, true)
			},
		} {
			resp, err := post()
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s signature: %d, want 403", name, resp.StatusCode)
			}
		}
		for _, tb := range tables {
			if n := s.count(tb); n != before[tb] {
				t.Errorf("%s: %d rows after refused webhooks, want %d", tb, n, before[tb])
			}
		}
		if got := s.fake.SentTo("+15550166001"); len(got) != 0 {
			t.Errorf("refused webhooks were answered: %v", got)
		}
		// A webhook for an organization without SMS is 404 and stores nothing.
		resp, err := s.fake.Post(s.base+"/api/v1/sms/"+models.NewID()+"/inbound", form, true)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown organization: %d, want 404", resp.StatusCode)
		}

		// The same message twice: one conversation step, one reply.
		for range 2 {
			resp, err := s.fake.Post(s.inboundURL(), form, true)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("signed webhook: %d", resp.StatusCode)
			}
		}
		step := s.fake.InboundForm("SM00000000000000000000000000000002", "+15550166001", smsProgram, "1 2")
		for range 3 {
			resp, err := s.fake.Post(s.inboundURL(), step, true)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		sent := s.fake.SentTo("+15550166001")
		if len(sent) != 2 || !strings.Contains(sent[0].Body, "What do you need?") || !strings.Contains(sent[1].Body, "Which matter most?") {
			t.Fatalf("replies to replays: %+v, want one welcome and one next question", sent)
		}
		if n := s.count("sms_seen"); n != 2 {
			t.Errorf("%d handled messages recorded, want 2", n)
		}
	})
}

// TestSMSMonthlyCap: at the cap Chorus sends nothing more, and the admin
// sees the month's count and the day the cap was reached.
func TestSMSMonthlyCap(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newSMSServer(t, db)
		s.setUp(3)
		s.wantReply("+15550177001", "hi", "What do you need?")
		s.wantReply("+15550177002", "hi", "What do you need?")
		if v := s.settings(); v.Sent != 2 || v.CappedOn != nil || v.Settings.MonthlyCap != 3 || !v.TokenSet {
			t.Fatalf("settings %+v", v)
		}
		s.wantReply("+15550177001", "0", "Anything else")
		if reply := s.text("+15550177001", "Open on Sundays"); reply != "" {
			t.Fatalf("a reply past the cap: %q", reply)
		}
		if reply := s.text("+15550177003", "hi"); reply != "" {
			t.Fatalf("a reply past the cap: %q", reply)
		}
		v := s.settings()
		if v.Sent != 3 || v.CappedOn == nil || v.Month != "2026-11" {
			t.Fatalf("settings at the cap %+v", v)
		}
		// Staff see it too (and may not change the set-up).
		staff := session(t, db, s.store, s.org.Users[models.RoleStaff], s.org.ID)
		r := s.as(staff, "GET", "/api/v1/organization/sms", nil)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), `"capped_on":"2026-11-25"`) {
			t.Errorf("staff's view: %s", r.Body.String())
		}
		wantStatus(t, s.as(staff, "PUT", "/api/v1/organization/sms", map[string]any{"phone_number": smsProgram, "account_sid": smsAccount,
			"site_id": s.org.Site.ID, "monthly_cap": 1000, "enabled": true}), http.StatusForbidden)
		// What came in is still kept: the conversation went on, unanswered.
		if n := len(s.smsSubmissions()); n != 1 {
			t.Fatalf("%d submissions, want 1", n)
		}
		if !strings.Contains(s.logs.String(), "monthly cap reached") {
			t.Error("the cap was not logged for operators")
		}
		// A new month starts a new count.
		s.clock.Advance(6 * 24 * time.Hour)
		s.wantReply("+15550177003", "hi", "What do you need?")
	})
}

// TestSMSKeysGoAway: a day's key is deleted once its day is over and no
// conversation uses it; a conversation still going keeps its key; the
// handled message ids go with it.
func TestSMSKeysGoAway(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newSMSServer(t, db)
		ctx := context.Background()
		keys := func() []string {
			var names []string
			if err := db.Model(&models.SMSKey{}).Order("name").Pluck("name", &names).Error; err != nil {
				t.Fatal(err)
			}
			return names
		}
		// 15:00 on 25 November: one conversation ends, one goes on.
		s.wantReply("+15550188001", "hi", "What do you need?")
		s.wantReply("+15550188001", "0", "Anything else")
		s.wantReply("+15550188001", "0", "Thank you")
		s.clock.Advance(8*time.Hour + 50*time.Minute) // 23:50
		s.wantReply("+15550188002", "hi", "What do you need?")
		s.clock.Advance(20 * time.Minute) // 00:10 on the 26th
		if err := s.sms.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if got := keys(); !slices.Equal(got, []string{"day:2026-11-25"}) {
			t.Fatalf("keys %v: the conversation still going keeps its day's key", got)
		}
		// It goes on past midnight under yesterday's key.
		s.wantReply("+15550188002", "11", "Anything else")
		s.wantReply("+15550188002", "Later hours", "Thank you")
		if err := s.sms.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if got := keys(); !slices.Equal(got, []string{"day:2026-11-26"}) {
			t.Fatalf("keys %v, want only today's once yesterday's conversations ended", got)
		}
		s.clock.Advance(48 * time.Hour)
		if err := s.sms.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if n := s.count("sms_seen"); n != 0 {
			t.Fatalf("%d handled message ids kept after two days", n)
		}
		if got := keys(); len(got) != 0 {
			t.Fatalf("keys %v two days later", got)
		}
		// A forged status callback is refused like a forged text.
		forged := smstest.NewFake(smsAccount, "not-the-token")
		defer forged.Close()
		resp, err := forged.Post(s.base+"/api/v1/sms/"+s.org.ID+"/status",
			url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"failed"}, "AccountSid": {smsAccount}}, true)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("forged status callback: %d, want 403", resp.StatusCode)
		}
	})
}

// TestSMSReplayAcrossMidnight: Twilio sends a webhook again when it did
// not get an answer in time. A replay that arrives after midnight, and
// after the sweeper, is still the same message: it changes nothing and
// sends nothing. (Kept under the day's key, it went through again.)
func TestSMSReplayAcrossMidnight(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newSMSServer(t, db)
		s.clock.Advance(8*time.Hour + 59*time.Minute) // 23:59 on 25 November
		form := s.fake.InboundForm("SM00000000000000000000000000000777", "+15550166077", smsProgram, "hi")
		post := func() {
			t.Helper()
			resp, err := s.fake.Post(s.inboundURL(), form, true)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("signed webhook: %d", resp.StatusCode)
			}
		}
		post()
		s.clock.Advance(2 * time.Minute) // 00:01 on the 26th
		if err := s.sms.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		post()
		if sent := s.fake.SentTo("+15550166077"); len(sent) != 1 || !strings.Contains(sent[0].Body, "What do you need?") {
			t.Fatalf("replies %+v; want one welcome for one message sent twice", sent)
		}
		if n := s.count("sms_seen"); n != 1 {
			t.Errorf("%d handled messages recorded, want 1", n)
		}
	})
}
