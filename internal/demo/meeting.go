package demo

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// demoMeeting is a community meeting that has already happened at the
// storefront: the room was asked about a proposal, checked the first
// finding ("Did we get this right?") and then said in writing what was
// missed; staff moderated the comments, and the facilitator left notes.
// Together with the findings it shows where meeting comments and session
// notes enter the research loop.
var demoMeeting = struct {
	title    string
	question string
	// votes are the room's answers to the question, then to the member
	// check, as agree, disagree, unsure.
	votes, check [3]int
	prompt       string
	// comments are what people wrote; the decision is staff's (and the
	// text a redaction leaves).
	comments []struct{ text, decision, redacted string }
	notes    string
}{
	title:    "Community meeting: did we get it right?",
	question: "Should the storefront stay open until 8 pm on Thursdays?",
	votes:    [3]int{10, 2, 2},
	check:    [3]int{11, 1, 2},
	prompt:   "What did we get wrong or miss?",
	comments: []struct{ text, decision, redacted string }{
		{"You missed the people who look out for each other at the shelter. We carry naloxone there too.", store.DecisionApprove, ""},
		{"Some of us cannot carry supplies because the police take them.", store.DecisionApprove, ""},
		{"Friends share test strips, not just supplies.", store.DecisionApprove, ""},
		{"It is true for me. I pick up for two neighbours who cannot walk here.", store.DecisionApprove, ""},
		{"The van should come on Sundays, ask Maria at the church, her number is 555-201-7788.", store.DecisionRedact,
			"The van should come on Sundays, ask [someone] at the church."},
		{"ok", store.DecisionReject, ""},
	},
	notes: "About 14 people came, most of them regulars. Several people said the finding was right " +
		"but that it left out the shelter, where people also carry naloxone. " +
		"Two people said the police take supplies, so not everyone can carry them. " +
		"Ask Dana from the church whether we can use the hall next time; her cell is 618-555-0142.",
}

// seedMeeting runs the demo meeting through the store, as a facilitator
// and the room would: the rules (a reveal's minimum, recording the member
// check against its finding, scrubbing notes, moderation) are the real
// ones. The meeting is ended, so its join code takes no one.
func seedMeeting(ctx context.Context, tx *gorm.DB, st *store.Store, res *Result, facilitator, staff models.User, finding string) error {
	org, site := res.Organization.ID, res.Sites[0]
	m := demoMeeting
	by := st.By(&facilitator)
	sess, err := by.CreateLiveSession(ctx, org, store.LiveSessionInput{SiteID: site.ID, Title: m.title, Language: "en"})
	if err != nil {
		return fmt.Errorf("demo meeting: %w", err)
	}
	people := max(m.votes[0]+m.votes[1]+m.votes[2], m.check[0]+m.check[1]+m.check[2], len(m.comments))
	participants := make([]store.VoteInput, people)
	for i := range participants {
		token := sha256.Sum256([]byte(rand.Text()))
		participants[i] = store.VoteInput{SessionID: sess.ID, ParticipantID: models.NewID(), TokenHash: token[:]}
	}
	question, err := st.CreateRound(ctx, org, sess.ID, store.RoundInput{Kind: "agree", Prompt: m.question})
	if err != nil {
		return fmt.Errorf("demo meeting round: %w", err)
	}
	check, err := st.CreateRound(ctx, org, sess.ID, store.RoundInput{Kind: "agree", FindingID: &finding})
	if err != nil {
		return fmt.Errorf("demo member check: %w", err)
	}
	comments, err := st.CreateRound(ctx, org, sess.ID, store.RoundInput{Kind: "comment", Prompt: m.prompt})
	if err != nil {
		return fmt.Errorf("demo comment round: %w", err)
	}
	for _, r := range []struct {
		id      string
		answers [3]int
	}{{question.ID, m.votes}, {check.ID, m.check}} {
		if _, err := by.SetRoundState(ctx, org, r.id, store.ActionOpen); err != nil {
			return err
		}
		var votes []store.VoteInput
		for i, choice := range []string{"agree", "disagree", "unsure"} {
			for range r.answers[i] {
				v := participants[len(votes)]
				v.RoundID, v.VoteID = r.id, models.NewID()
				v.Choice, _ = json.Marshal(choice)
				votes = append(votes, v)
			}
		}
		outcomes, _, err := st.CommitVotes(ctx, votes)
		if err != nil {
			return err
		}
		for i, o := range outcomes {
			if o.Err != nil {
				return fmt.Errorf("demo vote %d: %w", i, o.Err)
			}
			// Stored now: later rounds find them by their id.
			participants[i].TokenHash = nil
		}
		if _, err := by.SetRoundState(ctx, org, r.id, store.ActionReveal); err != nil {
			return fmt.Errorf("demo reveal: %w", err)
		}
	}
	if _, err := by.SetRoundState(ctx, org, comments.ID, store.ActionOpen); err != nil {
		return err
	}
	// Staff's decision on each stored comment, found by its scrubbed text.
	decided := map[string]int{}
	for i, c := range m.comments {
		p := participants[i]
		clean, _ := privacy.Scrub(c.text)
		decided[clean] = i
		if _, err := st.CommitComment(ctx, store.CommentInput{SessionID: sess.ID, RoundID: comments.ID,
			ParticipantID: p.ParticipantID, TokenHash: p.TokenHash, CommentID: models.NewID(), Text: clean}); err != nil {
			return fmt.Errorf("demo comment %d: %w", i, err)
		}
	}
	var texts []models.FeedbackText
	if err := tx.Where("live_round_id = ?", comments.ID).Find(&texts).Error; err != nil {
		return err
	}
	for _, t := range texts {
		c := m.comments[decided[t.Body]]
		if _, err := st.Moderate(ctx, org, t.ID, staff, c.decision, c.redacted); err != nil {
			return fmt.Errorf("demo moderation: %w", err)
		}
	}
	if _, err := by.SetRoundState(ctx, org, comments.ID, store.ActionReveal); err != nil {
		return fmt.Errorf("demo comments revealed: %w", err)
	}
	notes, removed := privacy.Scrub(m.notes)
	if _, err := by.SaveSessionNotes(ctx, org, sess.ID, notes, removed); err != nil {
		return fmt.Errorf("demo notes: %w", err)
	}
	_, _, err = by.EndLiveSession(ctx, org, sess.ID)
	return err
}
