package store

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/chorus-hr/chorus/models"
)

// DigestScope is what a digest covers: some sites and need categories of
// an organization (none listed means all), over the days From to To.
type DigestScope struct {
	OrganizationID string
	SiteIDs        []string
	NeedCodes      []string
	From, To       models.Day
}

// DigestFacts are exact counts and records for one period. They are for
// staff; anything else sees them only through privacy suppression.
type DigestFacts struct {
	Submissions int
	Needs       map[string]int
	Strengths   map[string]int
	// Quotes are approved (or redacted) text the participant let Chorus
	// quote, moderated within the period.
	Quotes   []models.FeedbackText
	Sessions []SessionFact
}

// SessionFact is a live session that ended within the period.
type SessionFact struct {
	Title  string
	SiteID string
	Day    models.Day
	Rounds int
	// Voters is the most voters any of its rounds had.
	Voters int
}

// DigestFacts gathers a period's counts and records for a digest.
func (s *Store) DigestFacts(ctx context.Context, sc DigestScope) (DigestFacts, error) {
	f := DigestFacts{Needs: map[string]int{}, Strengths: map[string]int{}}
	q := s.conn(ctx).Model(&models.Submission{}).Select("needs", "strengths").
		Where("organization_id = ? AND day >= ? AND day <= ?", sc.OrganizationID, sc.From, sc.To)
	if len(sc.SiteIDs) > 0 {
		q = q.Where("site_id IN ?", sc.SiteIDs)
	}
	var subs []models.Submission
	if err := q.Find(&subs).Error; err != nil {
		return f, translate(err, "digest submissions")
	}
	f.Submissions = len(subs)
	for _, sub := range subs {
		for _, n := range sub.Needs {
			if len(sc.NeedCodes) == 0 || slices.Contains(sc.NeedCodes, n) {
				f.Needs[n]++
			}
		}
		for _, st := range sub.Strengths {
			f.Strengths[st]++
		}
	}
	var err error
	if f.Quotes, err = s.periodQuotes(ctx, sc); err != nil {
		return f, err
	}
	f.Sessions, err = s.periodSessions(ctx, sc)
	return f, err
}

func (s *Store) periodQuotes(ctx context.Context, sc DigestScope) ([]models.FeedbackText, error) {
	q := s.conn(ctx).Where("organization_id = ? AND state IN ? AND may_quote = ? AND moderated_on >= ? AND moderated_on <= ?",
		sc.OrganizationID, []string{models.TextApproved, models.TextRedacted}, true, sc.From, sc.To)
	if len(sc.SiteIDs) > 0 {
		q = q.Where("site_id IN ?", sc.SiteIDs)
	}
	var out []models.FeedbackText
	return out, translate(q.Order("moderated_on, id").Limit(10).Find(&out).Error, "digest quotes")
}

func (s *Store) periodSessions(ctx context.Context, sc DigestScope) ([]SessionFact, error) {
	q := s.conn(ctx).Where("organization_id = ? AND day >= ? AND day <= ?", sc.OrganizationID, sc.From, sc.To)
	if len(sc.SiteIDs) > 0 {
		q = q.Where("site_id IN ?", sc.SiteIDs)
	}
	var rows []models.LiveSummary
	if err := q.Order("day, session_id").Limit(20).Find(&rows).Error; err != nil {
		return nil, translate(err, "digest sessions")
	}
	out := make([]SessionFact, 0, len(rows))
	for _, r := range rows {
		var sum Summary
		if err := json.Unmarshal(r.Summary, &sum); err != nil {
			return nil, err
		}
		fact := SessionFact{Title: sum.Title, SiteID: r.SiteID, Day: r.Day, Rounds: len(sum.Rounds)}
		for _, round := range sum.Rounds {
			fact.Voters = max(fact.Voters, round.Voters)
		}
		out = append(out, fact)
	}
	return out, nil
}

// AwaitingResponse lists open proposals the program has not answered yet,
// about the given sites (none: all), oldest first.
func (s *Store) AwaitingResponse(ctx context.Context, orgID string, siteIDs []string) ([]ProposalView, error) {
	props, err := s.Proposals(ctx, orgID, ProposalFilter{Status: models.StatusOpen})
	if err != nil {
		return nil, err
	}
	out := []ProposalView{}
	for _, p := range props {
		if p.RespondedOn != nil {
			continue
		}
		if len(siteIDs) == 0 || len(p.SiteIDs) == 0 || slices.ContainsFunc(p.SiteIDs, func(id string) bool { return slices.Contains(siteIDs, id) }) {
			out = append(out, p)
		}
	}
	slices.Reverse(out)
	return out, nil
}
