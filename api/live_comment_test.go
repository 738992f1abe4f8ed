package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// moderationServer serves staff's moderation queue as routes.go wires it,
// telling the live server's hub of approved comments.
func (s *liveServer) moderationServer() *testServer {
	s.t.Helper()
	authn, err := NewAuth(s.store, liveBaseURL, false)
	if err != nil {
		s.t.Fatal(err)
	}
	r := gin.New()
	r.Use(errorRenderer(testutil.Logger(), &database.Outage{Log: testutil.Logger(), Ping: func(context.Context) error { return nil }}))
	v1 := r.Group("/api/v1", noStore, authn.authenticate, authn.csrf)
	moderation := &ModerationAPI{Store: s.store, Comments: s.live.Hub}
	staff := require(models.RoleAdmin, models.RoleStaff)
	v1.GET("/feedback/texts", staff, moderation.List)
	v1.POST("/feedback/texts/:id/moderate", staff, moderation.Moderate)
	v1.GET("/alerts", staff, moderation.Alerts)
	return &testServer{t: s.t, engine: r, metrics: s.metrics, clock: s.clock, store: s.store, db: s.db}
}

func (c *wsClient) comment(commentID, roundID, text string) {
	c.t.Helper()
	c.send(map[string]any{"type": "comment", "comment_id": commentID, "round_id": roundID, "text": text})
}

// commentAnswer waits for the ack or error of a comment.
func (c *wsClient) commentAnswer(commentID string) map[string]any {
	c.t.Helper()
	return c.waitFor("answer to comment "+commentID, func(m map[string]any) bool {
		return (m["type"] == "ack" || m["type"] == "error") && m["comment_id"] == commentID
	})
}

// wire is everything a client was sent, as text.
func (c *wsClient) wire() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, _ := json.Marshal(c.msgs)
	return string(b)
}

func liveTexts(t *testing.T, db *database.DB, roundID string) []models.FeedbackText {
	t.Helper()
	var out []models.FeedbackText
	if err := db.Where("live_round_id = ?", roundID).Order("body").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// A comment round end to end: participants comment over their websockets;
// each comment is scrubbed, stored once, pending in staff's queue (named
// by its session) with an alert for urgent words, and counted; nobody but
// staff reads a word of it until staff approve it; then the projector of
// the revealed round shows the approved comments only, and coders find
// them as excerpts of kind 'comment' with the session's site and day.
func TestLiveCommentRound(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		s := newLiveServer(t, db, WSLimits{}, fastTallies)
		mod := s.moderationServer()
		staff := session(t, db, s.store, s.org.Users[models.RoleStaff], s.org.ID)
		three := 3
		if _, err := s.store.UpdateOrganization(context.Background(), s.org.ID, store.OrganizationSettings{MinVoters: &three}); err != nil {
			t.Fatal(err)
		}
		id, code := s.startSession()
		voteRound := s.addRound(id, map[string]any{"kind": "agree", "prompt": "Did we get this right?"})
		// Comment rounds take no options, no proposal, no hand counts.
		for _, bad := range []map[string]any{
			{"kind": "comment", "prompt": "Tell us more", "options": []string{"a", "b"}},
			{"kind": "comment"},
		} {
			wantStatus(t, s.as(s.boss, "POST", "/api/v1/sessions/"+id+"/rounds", bad), http.StatusBadRequest)
		}
		roundID := s.addRound(id, map[string]any{"kind": "comment", "prompt": "What did we miss?"})
		wantStatus(t, s.as(s.boss, "POST", "/api/v1/rounds/"+roundID+"/hand-count", map[string]any{"counts": map[string]int{"x": 1}}), http.StatusBadRequest)

		screen := s.dial("/api/v1/live/"+code+"/screen", nil)
		screen.welcome()
		phones := make([]*wsClient, 3)
		var token string
		for i := range phones {
			phones[i] = s.dial("/api/v1/live/"+code+"/ws", nil)
			w := phones[i].welcome()
			if i == 0 {
				token, _ = w["participant"].(string)
			}
		}
		texts := []string{
			"My name is Rosalind. Call me at 555-867-5309 about the van hours.",
			"There was a bad batch going around last week, please warn people.",
			"The evening hours work well for me.",
		}
		for i, p := range phones {
			p.comment("c"+string(rune('1'+i)), roundID, texts[i])
		}
		seqs := make([]int64, len(phones))
		for i, p := range phones {
			m := p.commentAnswer("c" + string(rune('1'+i)))
			if m["type"] != "ack" {
				t.Fatalf("comment %d refused: %v", i, m)
			}
			seqs[i] = int64(m["seq"].(float64))
		}

		// A retry of the same comment_id is acknowledged again and stored
		// once; a second comment of the same person is refused.
		phones[0].comment("c1", roundID, texts[0])
		testutil.Eventually(t, liveWait, "second ack of c1", func() bool {
			return phones[0].count(func(m map[string]any) bool { return m["type"] == "ack" && m["comment_id"] == "c1" }) == 2
		})
		phones[0].comment("c1-again", roundID, "Another thought")
		if m := phones[0].commentAnswer("c1-again"); m["code"] != "already_commented" {
			t.Fatalf("second comment: %v", m)
		}
		// The same person on a new connection (a reload): the database
		// answers the retry as a replay and refuses a second comment.
		reloaded := s.dial("/api/v1/live/"+code+"/ws", nil)
		reloaded.welcome()
		reloaded.send(map[string]any{"type": "resume", "participant": token})
		reloaded.waitFor("welcome back", func(m map[string]any) bool { return m["type"] == "welcome" && m["participant"] == token })
		reloaded.comment("c1", roundID, texts[0])
		if m := reloaded.commentAnswer("c1"); m["type"] != "ack" {
			t.Fatalf("a retry after a reload: %v", m)
		}
		reloaded.comment("c1-reloaded", roundID, "Yet another thought")
		if m := reloaded.commentAnswer("c1-reloaded"); m["code"] != "already_commented" {
			t.Fatalf("a second comment after a reload: %v", m)
		}
		// Oversized, empty, hostile or misdirected comments are refused with
		// the one error shape, and store nothing.
		fresh := s.dial("/api/v1/live/"+code+"/ws", nil)
		fresh.welcome()
		for _, tc := range []struct {
			id, round, text, code string
		}{
			{"big", roundID, strings.Repeat("é", 1001), "invalid_comment"},
			{"blank", roundID, "   \n ", "invalid_comment"},
			{"vote-round", voteRound, "Hello", "invalid_comment"},
			{"nowhere", models.NewID(), "Hello", "unknown_round"},
		} {
			fresh.comment(tc.id, tc.round, tc.text)
			if m := fresh.commentAnswer(tc.id); m["type"] != "error" || m["code"] != tc.code {
				t.Errorf("%s: %v, want error %s", tc.id, m, tc.code)
			}
		}
		fresh.send(map[string]any{"type": "comment", "comment_id": strings.Repeat("x", 65), "round_id": roundID, "text": "Hi"})
		fresh.waitFor("bad comment_id", func(m map[string]any) bool { return m["type"] == "error" && m["code"] == "invalid_comment" })
		fresh.vote("v1", roundID, "agree")
		if m := fresh.answer("v1"); m["code"] != "invalid_choice" {
			fresh.t.Fatalf("vote in a comment round: %v", m)
		}
		screen.send(map[string]any{"type": "comment", "comment_id": "screen", "round_id": roundID, "text": "From the wall"})
		if m := screen.commentAnswer("screen"); m["code"] != "read_only" {
			t.Fatalf("screen comment: %v", m)
		}

		stored := liveTexts(t, db, roundID)
		if len(stored) != 3 {
			t.Fatalf("stored %d comments, want 3: %+v", len(stored), stored)
		}
		var scrubbed models.FeedbackText
		for _, ft := range stored {
			if ft.State != models.TextPending || ft.SiteID != s.org.Site.ID || ft.SubmissionID != "" {
				t.Errorf("stored comment %+v: want pending at the session's site, with no submission", ft)
			}
			if strings.Contains(ft.Body, "about the van hours") {
				scrubbed = ft
			}
		}
		if strings.Contains(scrubbed.Body, "Rosalind") || strings.Contains(scrubbed.Body, "867") || !strings.Contains(scrubbed.Body, "[removed]") {
			t.Errorf("comment not scrubbed: %q", scrubbed.Body)
		}

		// The tally counts comments, and says nothing else.
		tally := screen.tallyAt(roundID, seqs[0])
		screen.tallyAt(roundID, max(seqs[0], seqs[1], seqs[2]))
		r := s.as(s.boss, "GET", "/api/v1/sessions/"+id, nil)
		wantStatus(t, r, http.StatusOK)
		var got struct {
			Rounds []struct {
				ID       string
				Tally    struct{ Voters int }
				Comments *store.CommentCounts
			}
		}
		_ = json.Unmarshal(r.Body.Bytes(), &got)
		if c := got.Rounds[1]; c.ID != roundID || c.Tally.Voters != 3 || c.Comments == nil || *c.Comments != (store.CommentCounts{Received: 3}) {
			t.Fatalf("facilitator's view of the comment round: %+v (tally %v)", got.Rounds[1], tally)
		}

		// Staff's queue names the session; the urgent words raised an alert.
		q := mod.as(staff, "GET", "/api/v1/feedback/texts", nil)
		wantStatus(t, q, http.StatusOK)
		var queue struct {
			Texts []struct {
				ID, Body    string
				LiveRoundID string `json:"live_round_id"`
				Live        *models.LiveTextSource
			}
		}
		_ = json.Unmarshal(q.Body.Bytes(), &queue)
		byBody := map[string]string{}
		for _, tx := range queue.Texts {
			if tx.LiveRoundID == roundID {
				if tx.Live == nil || tx.Live.Title != "Community meeting" || tx.Live.SessionID != id {
					t.Errorf("queue entry without its session: %+v", tx)
				}
				byBody[tx.Body] = tx.ID
			}
		}
		if len(byBody) != 3 {
			t.Fatalf("queue holds %d of the comments: %s", len(byBody), q.Body.String())
		}
		a := mod.as(staff, "GET", "/api/v1/alerts", nil)
		var alerts struct{ Alerts []models.Alert }
		_ = json.Unmarshal(a.Body.Bytes(), &alerts)
		if len(alerts.Alerts) != 1 || alerts.Alerts[0].FeedbackTextID == nil || *alerts.Alerts[0].FeedbackTextID != byBody[texts[1]] ||
			!strings.Contains(strings.Join(alerts.Alerts[0].Matched, ","), "bad batch") {
			t.Fatalf("alerts: %s", a.Body.String())
		}

		// Nobody but staff has read a word yet.
		for _, c := range append([]*wsClient{screen, fresh, reloaded}, phones...) {
			for _, words := range []string{"van hours", "bad batch", "evening hours"} {
				if strings.Contains(c.wire(), words) {
					t.Fatalf("a comment reached a client before approval: %s", c.wire())
				}
			}
		}

		// Staff approve one, redact one, reject one; the round is revealed:
		// the projector shows the approved and redacted ones only.
		wantStatus(t, mod.as(staff, "POST", "/api/v1/feedback/texts/"+byBody[texts[2]]+"/moderate", map[string]any{"decision": "approve"}), http.StatusOK)
		wantStatus(t, mod.as(staff, "POST", "/api/v1/feedback/texts/"+byBody[texts[1]]+"/moderate", map[string]any{"decision": "reject"}), http.StatusOK)
		if strings.Contains(screen.wire(), "evening hours") {
			t.Fatal("an approved comment reached the projector before the round was revealed")
		}
		wantStatus(t, s.as(s.boss, "POST", "/api/v1/rounds/"+roundID+"/reveal", nil), http.StatusOK)
		shown := screen.waitFor("approved comments", func(m map[string]any) bool {
			return m["type"] == "comments" && m["round_id"] == roundID && len(m["comments"].([]any)) == 1
		})
		if shown["comments"].([]any)[0] != texts[2] {
			t.Fatalf("projector shows %v", shown)
		}
		wantStatus(t, mod.as(staff, "POST", "/api/v1/feedback/texts/"+byBody[scrubbed.Body]+"/moderate",
			map[string]any{"decision": "redact", "body": "Call me about the van hours."}), http.StatusOK)
		screen.waitFor("redacted comment added", func(m map[string]any) bool {
			return m["type"] == "comments" && len(m["comments"].([]any)) == 2
		})
		late := s.dial("/api/v1/live/"+code+"/screen", nil)
		late.waitFor("comments for a projector that joins later", func(m map[string]any) bool {
			return m["type"] == "comments" && len(m["comments"].([]any)) == 2
		})
		for _, c := range append([]*wsClient{screen, late, fresh}, phones...) {
			if strings.Contains(c.wire(), "bad batch") || strings.Contains(c.wire(), "Rosalind") {
				t.Fatalf("a rejected or unredacted comment reached a client: %s", c.wire())
			}
		}
		r = s.as(s.boss, "GET", "/api/v1/sessions/"+id, nil)
		_ = json.Unmarshal(r.Body.Bytes(), &got)
		if c := got.Rounds[1].Comments; c == nil || *c != (store.CommentCounts{Received: 3, Approved: 2}) {
			t.Fatalf("facilitator's counts after moderation: %+v", c)
		}

		// Coders find the approved and redacted comments as excerpts of kind
		// 'comment', with the session's site and day.
		ctx := context.Background()
		ex, total, err := s.store.Excerpts(ctx, s.org.ID, s.org.Users[models.RoleAdmin].ID, store.ExcerptFilter{Kind: models.ExcerptComment})
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 || len(ex) != 2 {
			t.Fatalf("comment excerpts: %d %+v", total, ex)
		}
		day := stored[0].Day
		for _, e := range ex {
			if e.Kind != "comment" || e.SiteID != s.org.Site.ID || e.Day != day || e.Title != "Community meeting" {
				t.Errorf("excerpt %+v: want a comment of the session's site and day", e)
			}
			if e.Text != texts[2] && e.Text != "Call me about the van hours." {
				t.Errorf("excerpt text %q is not a moderated comment", e.Text)
			}
		}
	})
}

// The van refuses comment rounds: it syncs a session's counts upstream,
// never participants' words, so a comment taken there would never reach
// staff's moderation queue.
func TestLiveCommentRoundRefusedOnVan(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newLiveServer(t, db, WSLimits{})
		id, _ := s.startSession()
		if err := db.Exec("INSERT INTO edge_link (id, upstream, token, organization_id, site_id, device_id) VALUES (1, 'https://chorus.example', 'x', ?, ?, ?)",
			s.org.ID, s.org.Site.ID, models.NewID()).Error; err != nil {
			t.Fatalf("mark the database as a van: %v", err)
		}
		r := s.as(s.boss, "POST", "/api/v1/sessions/"+id+"/rounds", map[string]any{"kind": "comment", "prompt": "What did we miss?"})
		wantStatus(t, r, http.StatusConflict)
		if !strings.Contains(r.Body.String(), "comment_on_van") {
			t.Fatalf("van's refusal: %s", r.Body.String())
		}
		// Votes still work on the van.
		wantStatus(t, s.as(s.boss, "POST", "/api/v1/sessions/"+id+"/rounds", map[string]any{"kind": "agree", "prompt": "Agree?"}), http.StatusCreated)
	})
}
