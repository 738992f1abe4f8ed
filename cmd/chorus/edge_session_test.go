package main

import (
	"fmt"
	"testing"
)

// runVanSession runs a whole session on the van: 20 participants over
// websockets vote in a round of each kind (the agree round tied to the
// proposal), the facilitator counts 4 hands for "agree", reveals, and
// ends the session. It returns the van's session id.
func runVanSession(t *testing.T, van serveProc, token, siteID, proposalID string) string {
	t.Helper()
	var sess struct{ ID, Code string }
	mustCall(t, van.base, token, "POST", "/api/v1/sessions", map[string]any{"site_id": siteID, "title": "Van meeting", "language": "en"}, &sess)
	people := make([]*liveConn, 20)
	for i := range people {
		people[i] = joinLive(t, van, sess.Code)
	}
	rounds := []struct {
		def    map[string]any
		choice func(i int) any
	}{
		{map[string]any{"kind": "agree", "prompt": "Open until 9 pm?", "proposal_id": proposalID}, func(i int) any {
			switch {
			case i < 14:
				return "agree"
			case i < 18:
				return "disagree"
			}
			return "unsure"
		}},
		{map[string]any{"kind": "scale", "prompt": "How was today?"}, func(i int) any { return fmt.Sprint(1 + i%5) }},
		{map[string]any{"kind": "pick", "prompt": "Which night?", "options": []string{"Tue", "Thu"}}, func(i int) any { return []string{"Tue", "Thu"}[i%2] }},
		{map[string]any{"kind": "rank", "prompt": "What first?", "options": []string{"Naloxone", "Showers", "Food"}}, func(i int) any {
			return []string{"Naloxone", "Food"}
		}},
		{map[string]any{"kind": "dots", "prompt": "Where should money go?", "options": []string{"Van hours", "Supplies"}}, func(i int) any {
			return map[string]int{"Van hours": 3, "Supplies": 2}
		}},
	}
	var agreeRound string
	for n, r := range rounds {
		var round struct{ ID string }
		mustCall(t, van.base, token, "POST", "/api/v1/sessions/"+sess.ID+"/rounds", r.def, &round)
		if n == 0 {
			agreeRound = round.ID
		}
		mustCall(t, van.base, token, "POST", "/api/v1/rounds/"+round.ID+"/open", nil, nil)
		for i, p := range people {
			id := fmt.Sprintf("v-%d-%d", n, i)
			p.send(t, map[string]any{"type": "vote", "vote_id": id, "round_id": round.ID, "choice": r.choice(i)})
		}
		for i, p := range people {
			id := fmt.Sprintf("v-%d-%d", n, i)
			ack := p.waitFor(t, "the ack of "+id, func(m map[string]any) bool {
				return (m["type"] == "ack" || m["type"] == "error") && m["vote_id"] == id
			})
			if ack["type"] != "ack" {
				t.Fatalf("vote %s answered %v", id, ack)
			}
		}
		mustCall(t, van.base, token, "POST", "/api/v1/rounds/"+round.ID+"/close", nil, nil)
	}
	mustCall(t, van.base, token, "POST", "/api/v1/rounds/"+agreeRound+"/hand-count", map[string]any{"counts": map[string]int{"agree": 4}}, nil)
	mustCall(t, van.base, token, "POST", "/api/v1/rounds/"+agreeRound+"/reveal", nil, nil)
	mustCall(t, van.base, token, "POST", "/api/v1/sessions/"+sess.ID+"/end", nil, nil)
	return sess.ID
}
