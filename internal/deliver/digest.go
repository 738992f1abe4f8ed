package deliver

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// Period is a digest's days, both inclusive.
type Period struct {
	From models.Day `json:"from"`
	To   models.Day `json:"to"`
}

// Days is the period's length.
func (p Period) Days() int { return int(p.To.Time().Sub(p.From.Time()).Hours()/24) + 1 }

// Previous is the period of the same length just before.
func (p Period) Previous() Period {
	n := p.Days()
	return Period{From: p.From.AddDays(-n), To: p.To.AddDays(-n)}
}

// LastPeriod is the rule's most recent period that has ended by now, and
// the moment it ended (midnight in the rule's time zone). A daily digest
// covers yesterday; a weekly one the seven days before its weekday.
func LastPeriod(r models.RoutingRule, now time.Time) (Period, time.Time) {
	loc, err := time.LoadLocation(r.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	today := models.DayOf(now, loc)
	end := today
	n := 1
	if r.Schedule != nil && *r.Schedule == models.ScheduleWeekly && r.Weekday != nil {
		back := (int(today.Time().Weekday()) - *r.Weekday + 7) % 7
		end, n = today.AddDays(-back), 7
	}
	t := end.Time()
	endedAt := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	return Period{From: end.AddDays(-n), To: end.AddDays(-1)}, endedAt
}

// DigestView is a digest as one recipient may see it. For staff users
// (Exact) counts are exact; for e-mail addresses and webhooks every count
// went through privacy suppression and is null (hidden) when too small.
type DigestView struct {
	Event        string         `json:"event"`
	Test         bool           `json:"test"`
	Organization string         `json:"organization"`
	Rule         string         `json:"rule"`
	Schedule     string         `json:"schedule"`
	Language     string         `json:"language"`
	Period       Period         `json:"period"`
	Previous     Period         `json:"previous_period"`
	Exact        bool           `json:"exact"`
	MinCell      int            `json:"min_cell"`
	Submissions  Change         `json:"submissions"`
	Needs        []CountItem    `json:"top_needs"`
	Strengths    []CountItem    `json:"strengths"`
	Quotes       []QuoteItem    `json:"quotes"`
	Sessions     []SessionItem  `json:"sessions"`
	Proposals    []ProposalItem `json:"proposals_awaiting_response"`
	// CountsMonth and CountsPrevious are the whole months the counts cover
	// when they are not exact: the reports' newest whole month by the end
	// of the period, and the month before it.
	CountsMonth    *Period `json:"counts_period,omitempty"`
	CountsPrevious *Period `json:"counts_previous_period,omitempty"`
	Link           string  `json:"link"`
	sites          map[string]string
}

// Change is a count this period and the one before; Delta is set only
// when both are shown.
type Change struct {
	Count    privacy.Cell `json:"count"`
	Previous privacy.Cell `json:"previous"`
	Delta    *int         `json:"change"`
}

// CountItem is a category's count and how it moved.
type CountItem struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Change
}

// QuoteItem is approved text a participant let Chorus quote.
type QuoteItem struct {
	Site string `json:"site"`
	Day  string `json:"day"`
	Text string `json:"text"`
}

// SessionItem is a live session that ended in the period.
type SessionItem struct {
	Title  string       `json:"title"`
	Site   string       `json:"site"`
	Day    string       `json:"day"`
	Rounds int          `json:"rounds"`
	Voters privacy.Cell `json:"voters"`
}

// ProposalItem is a proposal waiting for the program's answer.
type ProposalItem struct {
	Title       string `json:"title"`
	DaysWaiting int    `json:"days_waiting"`
	Overdue     bool   `json:"overdue"`
}

// topNeeds is how many needs a digest lists.
const topNeeds = 5

// digestInput is everything a digest is made of, before it is shaped for
// one recipient.
type digestInput struct {
	org             models.Organization
	rule            models.RoutingRule
	period          Period
	now, prev       store.DigestFacts
	needs, strength []models.Category
	sites           map[string]string
	proposals       []store.ProposalView
	today           models.Day
	// published is what the reports publish for the newest whole month:
	// the counts anyone but staff gets.
	published published
}

// loadDigest gathers a rule's digest for a period.
func (r *Router) loadDigest(ctx context.Context, rule models.RoutingRule, p Period) (digestInput, error) {
	in := digestInput{rule: rule, period: p, sites: map[string]string{}, today: models.DayOf(r.Store.Now(), time.UTC)}
	var err error
	if in.org, err = r.Store.Organization(ctx, rule.OrganizationID); err != nil {
		return in, err
	}
	scope := store.DigestScope{OrganizationID: rule.OrganizationID, SiteIDs: rule.SiteIDs, NeedCodes: rule.NeedCodes, From: p.From, To: p.To}
	if in.now, err = r.Store.DigestFacts(ctx, scope); err != nil {
		return in, err
	}
	prev := p.Previous()
	scope.From, scope.To = prev.From, prev.To
	if in.prev, err = r.Store.DigestFacts(ctx, scope); err != nil {
		return in, err
	}
	if in.needs, err = r.Store.Categories(ctx, rule.OrganizationID, models.KindNeed); err != nil {
		return in, err
	}
	if in.strength, err = r.Store.Categories(ctx, rule.OrganizationID, models.KindStrength); err != nil {
		return in, err
	}
	sites, err := r.Store.Sites(ctx, rule.OrganizationID)
	if err != nil {
		return in, err
	}
	for _, s := range sites {
		in.sites[s.ID] = s.Name
	}
	if in.proposals, err = r.Store.AwaitingResponse(ctx, rule.OrganizationID, rule.SiteIDs); err != nil {
		return in, err
	}
	in.published, err = r.publish(ctx, in, sites)
	return in, err
}

// view shapes the digest for one recipient: exact for staff users, through
// privacy suppression for everyone else.
func (in digestInput) view(lang string, exact bool, link string) DigestView {
	k := privacy.MinK(in.org.MinCell)
	v := DigestView{Event: models.EventDigest, Organization: in.org.Name, Rule: in.rule.Name, Language: lang,
		Period: in.period, Previous: in.period.Previous(), Exact: exact, MinCell: k, Link: link, sites: in.sites,
		Quotes: []QuoteItem{}, Sessions: []SessionItem{}, Proposals: []ProposalItem{}}
	if in.rule.Schedule != nil {
		v.Schedule = *in.rule.Schedule
	}
	if exact {
		v.Submissions = changeOf(privacy.Cell{Value: in.now.Submissions}, privacy.Cell{Value: in.prev.Submissions})
		v.Needs = counted(in.needs, exactCells(in.now.Needs), exactCells(in.prev.Needs), lang)
		v.Strengths = counted(in.strength, exactCells(in.now.Strengths), exactCells(in.prev.Strengths), lang)
	} else {
		// Anyone but staff gets the counts the reports publish for the
		// newest whole month, never the digest's own days: a day or a week
		// is not a count any report shows, and two of them subtracted from
		// a month would give a small count away.
		pub := in.published
		v.CountsMonth, v.CountsPrevious = &pub.month, &pub.previous
		v.Submissions = changeOf(pub.now.submissions, pub.prev.submissions)
		v.Needs = counted(in.needs, pub.now.needs, pub.prev.needs, lang)
		v.Strengths = counted(in.strength, pub.now.strengths, pub.prev.strengths, lang)
	}
	if len(v.Needs) > topNeeds {
		v.Needs = v.Needs[:topNeeds]
	}
	for _, q := range in.now.Quotes {
		// DigestFacts gives only approved or redacted text that may be
		// quoted; checked again here because this is where text leaves.
		if q.MayQuote && (q.State == models.TextApproved || q.State == models.TextRedacted) {
			v.Quotes = append(v.Quotes, QuoteItem{Site: in.sites[q.SiteID], Day: q.Day.String(), Text: q.Body})
		}
	}
	for _, s := range in.now.Sessions {
		// A meeting's voters are exact for staff. Nobody else gets them:
		// no report shows one meeting, and the sessions report's totals
		// minus one meeting would give another away.
		voters := privacy.Cell{Suppressed: true}
		if exact {
			voters = privacy.Cell{Value: s.Voters}
		}
		v.Sessions = append(v.Sessions, SessionItem{Title: s.Title, Site: in.sites[s.SiteID], Day: s.Day.String(),
			Rounds: s.Rounds, Voters: voters})
	}
	for _, p := range in.proposals {
		v.Proposals = append(v.Proposals, ProposalItem{Title: p.Title.In(lang),
			DaysWaiting: int(in.today.Time().Sub(p.CreatedOn.Time()).Hours() / 24), Overdue: p.Overdue})
	}
	return v
}

func changeOf(now, prev privacy.Cell) Change {
	c := Change{Count: now, Previous: prev}
	if !now.Suppressed && !prev.Suppressed {
		d := now.Value - prev.Value
		c.Delta = &d
	}
	return c
}

// counted lists the categories counted in either period with their counts
// as the recipient may see them (a category shown as 0 now, and 0 or
// hidden before, is left out). Shown counts come first, largest first; hidden ones follow by code,
// so their order says nothing about their size.
func counted(cats []models.Category, now, prev map[string]privacy.Cell, lang string) []CountItem {
	items := []CountItem{}
	for _, c := range cats {
		n, p := now[c.Code], prev[c.Code]
		if !n.Suppressed && n.Value == 0 && (p.Suppressed || p.Value == 0) {
			continue
		}
		items = append(items, CountItem{Code: c.Code, Label: c.Labels.In(lang), Change: changeOf(n, p)})
	}
	slices.SortStableFunc(items, func(a, b CountItem) int {
		if a.Count.Suppressed != b.Count.Suppressed {
			if a.Count.Suppressed {
				return 1
			}
			return -1
		}
		if a.Count.Suppressed {
			return cmp.Compare(a.Code, b.Code)
		}
		return cmp.Or(cmp.Compare(b.Count.Value, a.Count.Value), cmp.Compare(a.Code, b.Code))
	})
	return items
}
