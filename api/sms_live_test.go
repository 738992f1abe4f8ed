package api

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// meeting starts a session as the facilitator and opens a round.
func (s *smsServer) meeting(language string, round map[string]any) (sessionID, code, roundID string, boss caller) {
	s.t.Helper()
	boss = session(s.t, s.db, s.store, s.org.Users[models.RoleFacilitator], s.org.ID)
	r := s.as(boss, "POST", "/api/v1/sessions", map[string]any{"site_id": s.org.Site.ID, "title": "Community meeting", "language": language})
	wantStatus(s.t, r, http.StatusCreated)
	var sess struct{ ID, Code string }
	if err := json.Unmarshal(r.Body.Bytes(), &sess); err != nil {
		s.t.Fatal(err)
	}
	r = s.as(boss, "POST", "/api/v1/sessions/"+sess.ID+"/rounds", round)
	wantStatus(s.t, r, http.StatusCreated)
	var rd struct{ ID string }
	_ = json.Unmarshal(r.Body.Bytes(), &rd)
	wantStatus(s.t, s.as(boss, "POST", "/api/v1/rounds/"+rd.ID+"/open", nil), http.StatusOK)
	return sess.ID, sess.Code, rd.ID, boss
}

func (s *smsServer) dial(path string, c *caller) *wsClient {
	s.t.Helper()
	h := http.Header{}
	if c != nil {
		h = headerOf(*c)
	}
	h.Set("Origin", s.base)
	ws, _, err := dialWS(s.t, strings.Replace(s.base, "http", "ws", 1)+path, h)
	if err != nil {
		s.t.Fatalf("dial %s: %v", path, err)
	}
	return ws
}

// TestSMSLiveRound: 30 phones vote by text and 20 people on websockets in
// one round, some change their minds; each is counted once, and the
// facilitator's screen shows the committed tally.
func TestSMSLiveRound(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		s := newSMSServer(t, db)
		sessionID, code, roundID, boss := s.meeting("en", map[string]any{"kind": "agree", "prompt": "Open on Sundays?"})
		console := s.dial("/api/v1/live/"+code+"/screen", &boss)
		console.welcome()

		phone := func(i int) string { return fmt.Sprintf("+1555020%04d", i) }
		each := func(n int, fn func(i int)) {
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { fn(i) })
			}
			wg.Wait()
		}
		each(30, func(i int) {
			s.wantReply(phone(i), strings.ToLower(code), "You joined Community meeting", "Open on Sundays?", "Reply 1 agree, 2 disagree, 3 not sure")
		})
		people := make([]*wsClient, 20)
		for i := range people {
			people[i] = s.dial("/api/v1/live/"+code+"/ws", nil)
			people[i].welcome()
		}
		// Phones 0-9 agree, 10-19 disagree, 20-29 are unsure; people 0-9
		// agree and 10-19 disagree.
		each(30, func(i int) { s.wantReply(phone(i), fmt.Sprint(1+i/10), "Vote counted") })
		for i, p := range people {
			p.vote("first", roundID, []string{"agree", "disagree"}[i/10])
		}
		for _, p := range people {
			p.ack("first")
		}
		// Changes: phones 0-4 now disagree, people 0-4 are unsure; phone 5
		// sends its vote again and phone 6 joins again, which changes
		// nothing; phone 29 sends what no round takes.
		each(5, func(i int) { s.wantReply(phone(i), "2", "Vote counted") })
		s.wantReply(phone(5), "1", "Vote counted")
		s.wantReply(phone(6), code, "You joined")
		s.wantReply(phone(6), "1", "Vote counted")
		s.wantReply(phone(29), "7", "We could not read that", "Reply 1 agree")
		for _, p := range people[:5] {
			p.vote("second", roundID, "unsure")
			p.ack("second")
		}
		want := map[string]int{"agree": 10, "disagree": 25, "unsure": 15}
		console.waitFor("the tally of 50 voters", func(m map[string]any) bool {
			return m["type"] == "tally" && m["round_id"] == roundID && m["voters"] == float64(50) && maps.Equal(countsOf(m), want)
		})
		var participants, votes int64
		db.Model(&models.LiveParticipant{}).Where("session_id = ?", sessionID).Count(&participants)
		db.Model(&models.LiveVote{}).Where("round_id = ?", roundID).Count(&votes)
		if participants != 50 || votes != 50 {
			t.Fatalf("%d participants and %d votes, want 50 of each", participants, votes)
		}

		// Closed: a vote is refused in words; the meeting's end forgets
		// the phones and their key.
		wantStatus(t, s.as(boss, "POST", "/api/v1/rounds/"+roundID+"/close", nil), http.StatusOK)
		s.wantReply(phone(1), "1", "This question is closed")
		wantStatus(t, s.as(boss, "POST", "/api/v1/sessions/"+sessionID+"/end", nil), http.StatusOK)
		if err := s.sms.Sweep(t.Context()); err != nil {
			t.Fatal(err)
		}
		var keys int64
		db.Model(&models.SMSKey{}).Where("name = ?", "meeting:"+sessionID).Count(&keys)
		if n := s.count("sms_conversations"); n != 0 || keys != 0 {
			t.Fatalf("after the meeting: %d conversations, %d keys; want none", n, keys)
		}
		// A text after the end starts feedback instead.
		s.wantReply(phone(1), "1", "What do you need?")
	})
}

// TestSMSVoteKinds: a scale, a pick, a rank and dots by text, in Spanish.
func TestSMSVoteKinds(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newSMSServer(t, db)
		const p = "+15550301000"
		cases := []struct {
			round map[string]any
			help  string
			text  string
			want  string
		}{
			{map[string]any{"kind": "scale", "prompt": "¿Qué tan útil?"}, "Responda un número del 1 al 5", "4", `"4"`},
			{map[string]any{"kind": "pick", "prompt": "¿Qué día?", "options": []string{"Lunes", "Martes", "Viernes"}},
				"1 Lunes, 2 Martes, 3 Viernes", "3", `"Viernes"`},
			{map[string]any{"kind": "rank", "prompt": "Ordene", "options": []string{"Comida", "Ropa", "Duchas"}},
				"Responda hasta 3 números", "3 1", `["Duchas","Comida"]`},
			{map[string]any{"kind": "dots", "prompt": "Puntos", "options": []string{"A", "B", "C"}, "dots": 3},
				"Tiene 3 puntos", "2 2 3", `{"B":2,"C":1}`},
		}
		for _, tc := range cases {
			_, code, roundID, _ := s.meeting("es", tc.round)
			s.wantReply(p, code, "Se unió a Community meeting", tc.help)
			s.wantReply(p, tc.text, "Voto contado")
			var v models.LiveVote
			if err := db.Where("round_id = ?", roundID).First(&v).Error; err != nil {
				t.Fatal(err)
			}
			var got, want any
			_ = json.Unmarshal(v.Choice, &got)
			_ = json.Unmarshal([]byte(tc.want), &want)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: stored %s, want %s", tc.round["kind"], v.Choice, tc.want)
			}
		}
		// A comment question is answered on the meeting's page: a text is
		// told so, and nothing is counted or stored.
		_, code, roundID, _ := s.meeting("es", map[string]any{"kind": "comment", "prompt": "¿Qué nos faltó?"})
		s.wantReply(p, code, "Se unió a Community meeting", "se responde por escrito")
		s.wantReply(p, "Nos faltó café", "se responde por escrito")
		var stored int64
		if err := db.Model(&models.FeedbackText{}).Where("live_round_id = ?", roundID).Count(&stored).Error; err != nil || stored != 0 {
			t.Fatalf("a text in a comment round stored %d comments (%v)", stored, err)
		}
	})
}
