package api

import (
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// A whole meeting: the facilitator prepares and opens a round, people
// vote, counts stay hidden until enough have voted and the round is
// revealed, hand counts join in, and ending stores the summary.
func TestLiveMeeting(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		s := newLiveServer(t, db, WSLimits{})
		id, code := s.startSession()
		if len(code) != 6 {
			t.Fatalf("join code %q", code)
		}
		screen := s.dial("/api/v1/live/"+code+"/screen", nil)
		if w := screen.welcome(); w["round"] != nil || w["participant"] != nil || w["view"] != "screen" {
			t.Fatalf("screen welcome %v", w)
		}
		roundID := s.addRound(id, map[string]any{"kind": "agree", "prompt": "Open on Sundays?"})
		screen.waitFor("round opened", func(m map[string]any) bool { return m["type"] == "round" })

		var last int64
		people := make([]*wsClient, 4)
		for i := range people {
			people[i] = s.dial("/api/v1/live/"+strings.ToLower(code)+"/ws", nil)
			w := people[i].welcome()
			if tok, _ := w["participant"].(string); !strings.HasPrefix(tok, "chorus_live_") || w["round"].(map[string]any)["id"] != roundID {
				t.Fatalf("participant welcome %v", w)
			}
			people[i].vote("v", roundID, []string{"agree", "disagree"}[i%2])
			last = people[i].ack("v")
		}
		if tl := screen.tallyAt(roundID, last); tl["counts"] != nil || tl["voters"].(float64) != 4 {
			t.Fatalf("screen tally before reveal %v", tl)
		}
		// The facilitator's own screen always has the counts.
		console := s.dial("/api/v1/live/"+code+"/screen", headerOf(s.boss))
		if w := console.welcome(); w["view"] != "facilitator" {
			t.Fatalf("facilitator screen welcome %v", w)
		}
		if got := countsOf(console.tallyAt(roundID, last)); !maps.Equal(got, map[string]int{"agree": 2, "disagree": 2, "unsure": 0}) {
			t.Fatalf("facilitator screen counts %v", got)
		}
		r := s.as(s.boss, "POST", "/api/v1/rounds/"+roundID+"/reveal", nil)
		wantStatus(t, r, http.StatusConflict)
		if e := r.errorBody(t); e.Code != "too_few_voters" || !strings.Contains(e.Message, "5") {
			t.Fatalf("reveal below the minimum: %+v", e)
		}
		r = s.as(s.boss, "POST", "/api/v1/rounds/"+roundID+"/hand-count", map[string]any{"counts": map[string]int{"unsure": 6}})
		wantStatus(t, r, http.StatusOK)
		var fr struct {
			Tally struct{ Counts, HandCounts map[string]int } `json:"tally"`
			Shown bool
		}
		_ = json.Unmarshal(r.Body.Bytes(), &fr)
		if !maps.Equal(fr.Tally.Counts, map[string]int{"agree": 2, "disagree": 2, "unsure": 6}) || fr.Shown {
			t.Fatalf("hand count answer %s", r.Body.String())
		}
		fifth := s.dial("/api/v1/live/"+code+"/ws", nil)
		fifth.vote("v", roundID, "agree")
		fifth.ack("v")
		wantStatus(t, s.as(s.boss, "POST", "/api/v1/rounds/"+roundID+"/reveal", nil), http.StatusOK)
		screen.waitFor("revealed counts", func(m map[string]any) bool {
			return m["type"] == "tally" && maps.Equal(countsOf(m), map[string]int{"agree": 3, "disagree": 2, "unsure": 6})
		})
		people[0].vote("late", roundID, "unsure")
		if a := people[0].answer("late"); a["code"] != "round_closed" {
			t.Fatalf("vote after reveal: %v", a)
		}

		r = s.as(s.boss, "GET", "/api/v1/sessions/"+id, nil)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), `"hand_counts":{"agree":0,"disagree":0,"unsure":6}`) {
			t.Fatalf("session view %s", r.Body.String())
		}
		r = s.as(s.boss, "GET", "/api/v1/sessions", nil)
		if !strings.Contains(r.Body.String(), id) {
			t.Fatalf("session list %s", r.Body.String())
		}

		r = s.as(s.boss, "POST", "/api/v1/sessions/"+id+"/end", nil)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), `"summary"`) || !strings.Contains(r.Body.String(), `"ended"`) {
			t.Fatalf("end %s", r.Body.String())
		}
		screen.waitFor("session ended", isMsg("session"))
		if code := people[1].closeCode(); code != 1000 {
			t.Fatalf("close code %d after the end, want 1000", code)
		}
		if _, resp, err := s.tryDial("/api/v1/live/"+code+"/ws", nil); err == nil || resp.StatusCode != http.StatusNotFound {
			t.Fatalf("joining an ended session: %v", err)
		}
		if got := promtest.ToFloat64(s.metrics.VotesAccepted); got != 5 {
			t.Fatalf("votes accepted %v, want 5", got)
		}
	})
}
