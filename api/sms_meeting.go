package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/live"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/sms"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// joinCode finds the organization's open session whose join code a text
// is ("K7MQ3X", "k7m 3qx").
func (a *SMSAPI) joinCode(ctx context.Context, set models.SMSSettings, body string) (models.LiveSession, bool) {
	code := auth.NormalizeCode(body)
	if len(code) != store.JoinCodeLength {
		return models.LiveSession{}, false
	}
	if _, err := strconv.Atoi(code); err == nil {
		return models.LiveSession{}, false
	}
	sess, err := a.Store.OpenLiveSession(ctx, code)
	if err != nil || sess.OrganizationID != set.OrganizationID {
		return models.LiveSession{}, false
	}
	return sess, true
}

// join makes the sender a participant of a meeting: a conversation keyed
// under the meeting's own key, which lives until the meeting ends.
func (a *SMSAPI) join(ctx context.Context, set models.SMSSettings, sess models.LiveSession, p party, from string, sidHash []byte) (string, error) {
	today := a.today()
	name := "meeting:" + sess.ID
	key, err := a.Store.SMSKey(ctx, name, today)
	if err != nil {
		return "", err
	}
	// A join code says nothing of the person's language: the meeting's
	// is used, unless they were already talking with us in another.
	lang := sess.Language
	if p.feedback != nil {
		lang = p.feedback.Language
	}
	err = a.commit(ctx, sidHash, func(ctx context.Context) error {
		if p.meeting != nil {
			if err := a.Store.EndSMSConversation(ctx, p.meeting.ID); err != nil {
				return err
			}
		}
		return a.Store.SaveSMSConversation(ctx, &models.SMSConversation{ID: models.NewID(), OrganizationID: set.OrganizationID,
			KeyName: name, PartyHash: mac(key, "party", from), Kind: models.SMSMeeting, SessionID: &sess.ID,
			Language: lang, Step: models.SMSStepJoined, ExpiresAt: a.now().Add(smsMeetingLife)})
	})
	if err != nil {
		return "", err
	}
	t := sms.TextsIn(lang)
	reply := fmt.Sprintf(t.Joined, sess.Title)
	rounds, err := a.Store.Rounds(ctx, sess.ID)
	if err != nil {
		return "", err
	}
	for _, r := range rounds {
		if r.State == models.RoundOpen {
			return reply + "\n" + r.Prompt + "\n" + instructions(r, lang), nil
		}
	}
	return reply + " " + t.NoQuestion, nil
}

// vote casts the text as a vote in the meeting's current round, through
// the hub's commit path, and confirms only once the vote is committed.
// The message is marked handled first: a vote that then fails is answered
// "send it again", never counted twice.
func (a *SMSAPI) vote(ctx context.Context, p party, from, body string, sidHash []byte) (string, error) {
	t := sms.TextsIn(p.meeting.Language)
	if err := a.commit(ctx, sidHash, nil); err != nil {
		return "", err
	}
	sess, err := a.Store.LiveSessionByID(ctx, *p.meeting.SessionID)
	if err != nil {
		return "", err
	}
	if sess.State == models.LiveEnded {
		return t.MeetingEnded, a.Store.EndSMSConversation(ctx, p.meeting.ID)
	}
	res, err := a.Hub.VoteOnce(ctx, sess, participantToken(p.meetingKey, from), func(r models.LiveRound) json.RawMessage {
		return smsChoice(r, body)
	})
	switch {
	case errors.Is(err, live.ErrNoRound):
		return t.NoQuestion, nil
	case err != nil:
		a.Log.Warn("sms: vote", "error", err)
		return t.Unavailable, nil
	}
	switch res.Code {
	case "":
		return t.Counted, nil
	case live.CodeRoundClosed, live.CodeUnknownRound:
		return t.Closed, nil
	case live.CodeInvalidChoice:
		if res.Round.State != models.RoundOpen {
			return t.Closed, nil
		}
		if res.Round.Kind == models.RoundComment {
			return t.Comment, nil
		}
		return fmt.Sprintf(t.BadVote, instructions(res.Round, p.meeting.Language)), nil
	}
	return t.Unavailable, nil
}

// smsChoice reads a text as a choice in a round: 1/2/3 for agree,
// disagree, unsure; 1 to 5 on a scale; an option's number for pick; a
// list of numbers, best first, for rank; one number per dot for dots. nil
// when the text is not one.
func smsChoice(r models.LiveRound, body string) json.RawMessage {
	spec := store.RoundSpec(r)
	n := len(spec.Options)
	numbers, ok := sms.Numbers(body, n)
	if !ok {
		return nil
	}
	var choice any
	switch spec.Kind {
	case tally.Agree, tally.Scale, tally.Pick:
		if len(numbers) != 1 {
			return nil
		}
		choice = spec.Options[numbers[0]-1]
	case tally.Rank:
		ranked := make([]string, 0, len(numbers))
		for _, i := range numbers {
			ranked = append(ranked, spec.Options[i-1])
		}
		choice = ranked
	case tally.Dots:
		dots := map[string]int{}
		for _, i := range numbers {
			dots[spec.Options[i-1]]++
		}
		choice = dots
	default:
		return nil
	}
	raw, err := json.Marshal(choice)
	if err != nil {
		return nil
	}
	return raw
}

// instructions say how to answer a round by text.
func instructions(r models.LiveRound, lang string) string {
	t := sms.TextsIn(lang)
	spec := store.RoundSpec(r)
	switch spec.Kind {
	case tally.Agree:
		return t.Agree
	case tally.Scale:
		return t.Scale
	case tally.Pick:
		return fmt.Sprintf(t.Pick, sms.InlineList(spec.Options))
	case tally.Rank:
		return fmt.Sprintf(t.Rank, spec.MaxRank, sms.InlineList(spec.Options))
	case tally.Dots:
		return fmt.Sprintf(t.Dots, spec.Dots, sms.InlineList(spec.Options))
	case tally.Comment:
		return t.Comment
	}
	return t.NoQuestion
}
