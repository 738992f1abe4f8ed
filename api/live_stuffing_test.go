package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// Issue 11: a script on one address opened 50 participant sockets, and one
// socket sending "reset" between votes cast 30 votes. Each way of casting
// extra votes is stopped here, through real websockets.
func TestLiveStuffingStopped(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		const limit = 10
		s := newLiveServer(t, db, WSLimits{JoinsPerMinute: limit})
		id, code := s.startSession()
		roundID := s.addRound(id, map[string]any{"kind": "agree", "prompt": "Open on Sundays?"})
		console := s.dial("/api/v1/live/"+code+"/screen", headerOf(s.boss))
		screen := s.dial("/api/v1/live/"+code+"/screen", nil)
		console.welcome()
		screen.welcome()

		// 1. Many sockets from one address: only the limit's worth of new
		// participants may vote; the others are answered join_limited.
		acked, limited := 0, 0
		var last int64
		var first *wsClient
		for i := range 50 {
			p := s.dial("/api/v1/live/"+code+"/ws", nil)
			voteID := fmt.Sprint("s", i)
			p.vote(voteID, roundID, "agree")
			switch a := p.answer(voteID); {
			case a["type"] == "ack":
				acked++
				last = max(last, int64(a["seq"].(float64)))
				if first == nil {
					first = p
				}
			case a["code"] == "join_limited":
				limited++
			default:
				t.Fatalf("socket %d: %v", i, a)
			}
		}
		if acked != limit || limited != 50-limit {
			t.Fatalf("50 sockets from one address: %d votes counted, %d refused; want %d and %d", acked, limited, limit, 50-limit)
		}
		if tl := console.tallyAt(roundID, last); tl["voters"].(float64) != limit {
			t.Fatalf("voters after the flood: %v, want %d", tl["voters"], limit)
		}

		// 2. "reset" between votes: refused, the token stays, and the next
		// vote replaces the first.
		token := first.welcome()["participant"]
		first.send(map[string]any{"type": "reset"})
		first.waitFor("not_shared", func(m map[string]any) bool { return m["type"] == "error" && m["code"] == "not_shared" })
		first.vote("again", roundID, "disagree")
		last = first.ack("again")
		tl := console.tallyAt(roundID, last)
		if tl["voters"].(float64) != limit || countsOf(tl)["disagree"] != 1 || countsOf(tl)["agree"] != limit-1 {
			t.Fatalf("after a refused reset: %v", tl)
		}
		if n := first.count(isMsg("welcome")); n != 1 || first.welcome()["participant"] != token {
			t.Fatalf("a refused reset changed the participant (%d welcomes)", n)
		}

		// 3. A tablet the facilitator set up from the console may reset,
		// once per person; its new people are joins too.
		r := s.as(s.boss, "POST", "/api/v1/sessions/"+id+"/shared-devices", nil)
		wantStatus(t, r, http.StatusCreated)
		var dev struct{ Key string }
		if err := json.Unmarshal(r.Body.Bytes(), &dev); err != nil || dev.Key == "" {
			t.Fatalf("shared device answer %s", r.Body.String())
		}
		first.send(map[string]any{"type": "shared", "key": dev.Key})
		first.waitFor("shared welcome", func(m map[string]any) bool { return m["type"] == "welcome" && m["shared"] == true })
		first.send(map[string]any{"type": "reset"})
		testutil.Eventually(t, liveWait, "welcome after reset", func() bool { return first.count(isMsg("welcome")) == 3 })
		first.vote("next", roundID, "unsure")
		if a := first.answer("next"); a["code"] != "join_limited" {
			t.Fatalf("the shared tablet's next person at the address's limit: %v", a)
		}

		// 4. The room size: the console and the projector receive it, and
		// every tally says how many people voted, to flag a round with
		// more voters than people in the room.
		r = s.as(s.boss, "PATCH", "/api/v1/sessions/"+id, map[string]any{"room_size": 8})
		wantStatus(t, r, http.StatusOK)
		for _, c := range []*wsClient{console, screen} {
			m := c.waitFor("session", isMsg("session"))
			if m["session"].(map[string]any)["room_size"] != float64(8) {
				t.Fatalf("session message %v", m)
			}
		}
		if tl := screen.tallyAt(roundID, last); tl["people"].(float64) != limit {
			t.Fatalf("screen tally people %v, want %d (over the room of 8)", tl["people"], limit)
		}
		r = s.as(s.boss, "PATCH", "/api/v1/sessions/"+id, map[string]any{"room_size": 0})
		wantStatus(t, r, http.StatusBadRequest)
	})
}

// A van's hotspot puts every phone behind one address: with the default
// limit, 40 phones joining at once all vote.
func TestLiveHotspotJoins(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		s := newLiveServer(t, db, WSLimits{JoinsPerMinute: config.DefaultLiveJoinLimit})
		id, code := s.startSession()
		roundID := s.addRound(id, map[string]any{"kind": "agree", "prompt": "Open on Sundays?"})
		phones := make([]*wsClient, 40)
		for i := range phones {
			phones[i] = s.dial("/api/v1/live/"+code+"/ws", nil)
		}
		var last int64
		for i, p := range phones {
			p.vote(fmt.Sprint("h", i), roundID, "agree")
		}
		for i, p := range phones {
			last = max(last, p.ack(fmt.Sprint("h", i)))
		}
		console := s.dial("/api/v1/live/"+code+"/screen", headerOf(s.boss))
		if tl := console.tallyAt(roundID, last); tl["voters"].(float64) != 40 {
			t.Fatalf("voters %v, want all 40 phones", tl["voters"])
		}
	})
}

// Comments are stuffed the way votes are: fresh sockets from one address,
// each a new participant with one comment. The join limit stops them the
// same way (only the limit's worth are stored, the rest are refused with
// nothing stored), a participant who already voted comments without
// joining again, and the room-size flag sees the comments as people.
func TestLiveCommentStuffingStopped(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		const limit = 4
		s := newLiveServer(t, db, WSLimits{JoinsPerMinute: limit})
		id, code := s.startSession()
		voteRound := s.addRound(id, map[string]any{"kind": "agree", "prompt": "Did we get this right?"})
		// One phone votes first: it has joined, so its comment later costs
		// no join.
		voter := s.dial("/api/v1/live/"+code+"/ws", nil)
		voter.vote("v", voteRound, "agree")
		voter.ack("v")
		wantStatus(t, s.as(s.boss, "POST", "/api/v1/rounds/"+voteRound+"/close", nil), http.StatusOK)
		roundID := s.addRound(id, map[string]any{"kind": "comment", "prompt": "What did we miss?"})
		console := s.dial("/api/v1/live/"+code+"/screen", headerOf(s.boss))
		console.welcome()

		acked, limited := 0, 0
		var last int64
		for i := range 20 {
			p := s.dial("/api/v1/live/"+code+"/ws", nil)
			cid := fmt.Sprint("stuff-", i)
			p.comment(cid, roundID, fmt.Sprintf("Comment number %d from the same script", i))
			switch a := p.commentAnswer(cid); {
			case a["type"] == "ack":
				acked++
				last = max(last, int64(a["seq"].(float64)))
			case a["code"] == "join_limited":
				limited++
			default:
				t.Fatalf("socket %d: %v", i, a)
			}
		}
		// The voter already counted as a join: the limit left limit-1.
		if acked != limit-1 || limited != 20-(limit-1) {
			t.Fatalf("20 commenting sockets from one address: %d stored, %d refused; want %d and %d", acked, limited, limit-1, 20-(limit-1))
		}
		voter.comment("mine", roundID, "I voted and now I comment")
		if a := voter.commentAnswer("mine"); a["type"] != "ack" {
			t.Fatalf("a participant who voted, commenting at the limit: %v", a)
		} else {
			last = max(last, int64(a["seq"].(float64)))
		}
		if n := len(liveTexts(t, db, roundID)); n != limit {
			t.Fatalf("%d comments stored, want %d", n, limit)
		}
		r := s.as(s.boss, "PATCH", "/api/v1/sessions/"+id, map[string]any{"room_size": 2})
		wantStatus(t, r, http.StatusOK)
		if tl := console.tallyAt(roundID, last); tl["people"].(float64) != limit || tl["voters"].(float64) != limit {
			t.Fatalf("comment round tally %v: want %d people, more than the room of 2", tl, limit)
		}
	})
}
