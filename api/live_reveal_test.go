package api

import (
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// A small room: three phones and four raised hands are seven people, over
// the minimum of five, so the results can be shown. With fewer than five
// device voters the room's tally leaves out each option's hand count (its
// total is people − voters), so the projector cannot subtract it to show
// the three phones' votes; the facilitator still sees everything. The
// projector is opened from the facilitator's signed-in laptop, so it asks for
// the room's view.
func TestRevealCountsPeopleCountedByHand(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		s := newLiveServer(t, db, WSLimits{})
		id, code := s.startSession()
		roundID := s.addRound(id, map[string]any{"kind": "pick", "prompt": "What first?", "options": []string{"Food pantry", "Mail service"}})
		// The projector, from the facilitator's own signed-in laptop, asks for the room's view.
		screen := s.dial("/api/v1/live/"+code+"/screen?view=room", headerOf(s.boss))
		if w := screen.welcome(); w["view"] != "screen" {
			t.Fatalf("projector welcome %v", w)
		}
		console := s.dial("/api/v1/live/"+code+"/screen", headerOf(s.boss))
		console.welcome()

		for _, choice := range []string{"Food pantry", "Food pantry", "Mail service"} {
			phone := s.dial("/api/v1/live/"+code+"/ws", nil)
			phone.welcome()
			phone.vote("v", roundID, choice)
			phone.ack("v")
		}
		if tl := screen.waitFor("the projector's tally", func(m map[string]any) bool {
			return m["type"] == "tally" && m["voters"] == 3.0
		}); tl["counts"] != nil {
			t.Fatalf("the projector saw counts before the reveal: %v", tl)
		}
		r := s.as(s.boss, "POST", "/api/v1/rounds/"+roundID+"/reveal", nil)
		wantStatus(t, r, http.StatusConflict)
		if e := r.errorBody(t); e.Code != "too_few_voters" || !strings.Contains(e.Message, "At least 5 people") || !strings.Contains(e.Message, "3 have so far") {
			t.Fatalf("reveal with three phones: %+v", e)
		}

		r = s.as(s.boss, "POST", "/api/v1/rounds/"+roundID+"/hand-count", map[string]any{"counts": map[string]int{"Food pantry": 2, "Mail service": 2}})
		wantStatus(t, r, http.StatusOK)
		r = s.as(s.boss, "POST", "/api/v1/rounds/"+roundID+"/reveal", nil)
		wantStatus(t, r, http.StatusOK)
		var fr struct {
			Tally struct {
				Voters, People int
				Counts         map[string]int
				HandCounts     map[string]int `json:"hand_counts"`
			}
			Shown bool
		}
		if err := json.Unmarshal(r.Body.Bytes(), &fr); err != nil {
			t.Fatal(err)
		}
		wantCounts := map[string]int{"Food pantry": 4, "Mail service": 3}
		if !fr.Shown || fr.Tally.People != 7 || fr.Tally.Voters != 3 || !maps.Equal(fr.Tally.Counts, wantCounts) ||
			!maps.Equal(fr.Tally.HandCounts, map[string]int{"Food pantry": 2, "Mail service": 2}) {
			t.Fatalf("the facilitator's revealed round %s", r.Body.String())
		}

		revealed := func(m map[string]any) bool {
			return m["type"] == "tally" && m["round_id"] == roundID && m["hidden"] == false
		}
		shown := screen.waitFor("the room's revealed counts", revealed)
		if !maps.Equal(countsOf(shown), wantCounts) || shown["people"] != 7.0 || shown["voters"] != 3.0 || shown["hand_counts"] != nil {
			t.Fatalf("the room's tally %v", shown)
		}
		if full := console.waitFor("the console's revealed counts", revealed); full["hand_counts"] == nil {
			t.Fatalf("the console's tally %v", full)
		}
	})
}
