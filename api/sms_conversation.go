package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/sms"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// handle acts on one text and returns the reply to send ("" for none).
// What the text changes is committed, with the mark that its message id
// was handled, before handle returns.
func (a *SMSAPI) handle(ctx context.Context, set models.SMSSettings, in sms.Inbound) (string, error) {
	today := a.today()
	dayKey, err := a.Store.SMSKey(ctx, "day:"+today.String(), today)
	if err != nil {
		return "", err
	}
	// The message id is not the number, and the row it marks holds only a
	// day, so a plain hash does: under the day's key, a replay that came
	// after midnight (and after the old key was swept) went through again.
	sum := sha256.Sum256([]byte("chorus sms message\x00" + in.MessageID))
	sidHash := sum[:]
	p, err := a.findParty(ctx, set, in.From, dayKey)
	if err != nil {
		return "", err
	}
	if p.feedback != nil && !p.feedback.ExpiresAt.After(a.now()) {
		// Idle past its end, and not swept yet: it ends as the sweeper
		// would have ended it, and this text starts afresh.
		if err := a.Store.InTx(ctx, func(ctx context.Context) error { return a.finish(ctx, set, p.feedback, nil) }); err != nil {
			return "", err
		}
		p.feedback = nil
	}
	org, err := a.Store.Organization(ctx, set.OrganizationID)
	if err != nil {
		return "", err
	}
	keyword, keywordLanguage := sms.Keyword(in.Body)
	lang := sms.Language(in.Body)
	switch {
	case p.feedback != nil:
		lang = p.feedback.Language
	case p.meeting != nil:
		lang = p.meeting.Language
	case keywordLanguage != "":
		lang = keywordLanguage
	}
	t := sms.TextsIn(lang)
	switch keyword {
	case sms.KeywordStop:
		// Stop means stop: the conversation ends and what it held is
		// dropped. The provider blocks further texts to the number until
		// it sends START (docs/sms.md).
		return fmt.Sprintf(t.Stopped, org.Name), a.commit(ctx, sidHash, func(ctx context.Context) error {
			for _, c := range []*models.SMSConversation{p.feedback, p.meeting} {
				if c != nil {
					if err := a.Store.EndSMSConversation(ctx, c.ID); err != nil {
						return err
					}
				}
			}
			return nil
		})
	case sms.KeywordHelp:
		return fmt.Sprintf(t.Help, org.Name), a.commit(ctx, sidHash, nil)
	}
	if sess, ok := a.joinCode(ctx, set, in.Body); ok {
		return a.join(ctx, set, sess, p, in.From, sidHash)
	}
	if p.meeting != nil && keyword != sms.KeywordStart {
		return a.vote(ctx, p, in.From, in.Body, sidHash)
	}
	var reply string
	err = a.commit(ctx, sidHash, func(ctx context.Context) error {
		var err error
		reply, err = a.feedback(ctx, set, org, p, in.Body, lang, keyword)
		return err
	})
	return reply, err
}

// commit runs fn in one transaction with the mark that the message was
// handled: a replay finds the mark and changes nothing (ErrSMSReplay).
func (a *SMSAPI) commit(ctx context.Context, sidHash []byte, fn func(ctx context.Context) error) error {
	return a.Store.InTx(ctx, func(ctx context.Context) error {
		if err := a.Store.MarkSMSSeen(ctx, sidHash, a.today()); err != nil {
			return err
		}
		if fn == nil {
			return nil
		}
		return fn(ctx)
	})
}

// feedback takes one step of a feedback conversation: a new one starts
// with the need categories; then the needs, the top three, and anything
// else. Every step can be skipped.
func (a *SMSAPI) feedback(ctx context.Context, set models.SMSSettings, org models.Organization, p party, body, lang, keyword string) (string, error) {
	t := sms.TextsIn(lang)
	needs, err := a.Store.Categories(ctx, set.OrganizationID, models.KindNeed)
	if err != nil {
		return "", err
	}
	c := p.feedback
	if c == nil {
		c = &models.SMSConversation{ID: models.NewID(), OrganizationID: set.OrganizationID, KeyName: p.dayKeyName,
			PartyHash: p.dayHash, Kind: models.SMSFeedback, Language: lang, Step: models.SMSStepNeeds}
		c.ExpiresAt = a.now().Add(SMSIdle)
		return fmt.Sprintf(t.Welcome, org.Name) + "\n\n" + t.Needs + "\n" + sms.NumberedList(labels(needs, lang)),
			a.Store.SaveSMSConversation(ctx, c)
	}
	if keyword == sms.KeywordStart {
		return a.prompt(c, needs), nil
	}
	skip := keyword == sms.KeywordSkip
	switch c.Step {
	case models.SMSStepNeeds:
		if !skip {
			picked, ok := sms.Numbers(body, len(needs))
			if !ok {
				return t.BadNumbers + "\n" + sms.NumberedList(labels(needs, lang)), nil
			}
			for _, n := range sms.Distinct(picked) {
				c.Needs = append(c.Needs, needs[n-1].Code)
			}
		}
		c.Step = models.SMSStepText
		if len(c.Needs) > 1 {
			c.Step = models.SMSStepPriorities
		}
	case models.SMSStepPriorities:
		if !skip {
			picked, ok := sms.Numbers(body, len(needs))
			picked = sms.Distinct(picked)
			if !ok || len(picked) > 3 {
				return t.BadNumbers, nil
			}
			var top models.Codes
			for _, n := range picked {
				if !slices.Contains(c.Needs, needs[n-1].Code) {
					return t.BadNumbers, nil
				}
				top = append(top, needs[n-1].Code)
			}
			c.Priorities = top
		}
		c.Step = models.SMSStepText
	case models.SMSStepText:
		text := ""
		if !skip {
			text = body
		}
		return a.finishWith(ctx, set, org, c, &text)
	}
	c.ExpiresAt = a.now().Add(SMSIdle)
	return a.prompt(c, needs), a.Store.SaveSMSConversation(ctx, c)
}

// prompt is the question of the conversation's step.
func (a *SMSAPI) prompt(c *models.SMSConversation, needs []models.Category) string {
	t := sms.TextsIn(c.Language)
	switch c.Step {
	case models.SMSStepNeeds:
		return t.Needs + "\n" + sms.NumberedList(labels(needs, c.Language))
	case models.SMSStepPriorities:
		var chosen []string
		for i, n := range needs {
			if slices.Contains(c.Needs, n.Code) {
				chosen = append(chosen, fmt.Sprintf("%d %s", i+1, n.Labels.In(c.Language)))
			}
		}
		return t.Priorities + "\n" + strings.Join(chosen, "\n")
	}
	return t.Anything
}

func labels(cats []models.Category, lang string) []string {
	out := make([]string, len(cats))
	for i, c := range cats {
		out[i] = c.Labels.In(lang)
	}
	return out
}

// finishWith ends a conversation with its last answer and thanks the
// person, with a receipt code when the organization has a public board.
func (a *SMSAPI) finishWith(ctx context.Context, set models.SMSSettings, org models.Organization, c *models.SMSConversation, text *string) (string, error) {
	t := sms.TextsIn(c.Language)
	receipt := ""
	if org.PublicBoard {
		code := auth.NewCode(6)
		receipt = code[:3] + "-" + code[3:]
	}
	stored, err := a.submit(ctx, set, c, text, receipt)
	if err != nil {
		return "", err
	}
	if receipt == "" || !stored {
		// No board to look a code up on, or nothing given to look up.
		return t.Thanks, nil
	}
	return fmt.Sprintf(t.ThanksCode, receipt, strings.TrimRight(a.BaseURL, "/")+"/board/"+org.Slug), nil
}

// finish ends a conversation that went idle: what was given is kept.
func (a *SMSAPI) finish(ctx context.Context, set models.SMSSettings, c *models.SMSConversation, text *string) error {
	_, err := a.submit(ctx, set, c, text, "")
	return err
}

// submit stores what a conversation gathered as one submission, through
// the kiosk's path (scrubbed text, moderation, urgent-word alerts), and
// ends the conversation, in the caller's transaction. A conversation
// that gathered nothing leaves nothing (stored is false).
func (a *SMSAPI) submit(ctx context.Context, set models.SMSSettings, c *models.SMSConversation, text *string, receipt string) (stored bool, err error) {
	in := store.SubmissionInput{Language: c.Language, Needs: c.Needs, Priorities: c.Priorities, Receipt: receipt}
	if in.Needs == nil {
		in.Needs = []string{}
	}
	if in.Priorities == nil {
		in.Priorities = []string{}
	}
	src, err := a.Store.SMSSource(ctx, set)
	if err != nil {
		return false, err
	}
	if text != nil && strings.TrimSpace(*text) != "" {
		in.Text, _ = a.Scrub(*text)
		if strings.TrimSpace(in.Text) != "" {
			in.Urgent = a.Urgent(in.Text, src.UrgentWords)
		}
	}
	if stored = len(in.Needs) > 0 || strings.TrimSpace(in.Text) != ""; stored {
		canonical, err := json.Marshal(in)
		if err != nil {
			return false, err
		}
		hash := sha256.Sum256(canonical)
		res := a.Store.SubmitEach(ctx, src, []store.KeyedSubmission{{Key: "sms:" + c.ID, RequestHash: hash[:], Input: in}})
		if res[0].Err != nil {
			return false, res[0].Err
		}
	}
	return stored, a.Store.EndSMSConversation(ctx, c.ID)
}

// Sweep ends the feedback conversations idle past their end, keeping what
// each gathered, and deletes what SMS no longer needs (store.SweepSMS).
func (a *SMSAPI) Sweep(ctx context.Context) error {
	for {
		expired, err := a.Store.ExpiredSMSConversations(ctx, a.now(), 100)
		if err != nil {
			return err
		}
		for i := range expired {
			c := &expired[i]
			err := a.Store.InTx(ctx, func(ctx context.Context) error {
				if c.Kind == models.SMSMeeting {
					return a.Store.EndSMSConversation(ctx, c.ID)
				}
				set, err := a.Store.SMSSettings(ctx, c.OrganizationID)
				if errors.Is(err, store.ErrNotFound) {
					return a.Store.EndSMSConversation(ctx, c.ID)
				} else if err != nil {
					return err
				}
				return a.finish(ctx, set, c, nil)
			})
			if err != nil {
				return fmt.Errorf("end idle sms conversation: %w", err)
			}
		}
		if len(expired) < 100 {
			break
		}
	}
	return a.Store.SweepSMS(ctx, a.today())
}

// RunSweeper sweeps every minute until ctx ends.
func (a *SMSAPI) RunSweeper(ctx context.Context) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		if err := a.Sweep(ctx); err != nil && ctx.Err() == nil {
			a.Log.Warn("sms: sweep", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
