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
	Link         string         `json:"link"`
	sites        map[string]string
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
	in.proposals, err = r.Store.AwaitingResponse(ctx, rule.OrganizationID, rule.SiteIDs)
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
	cells := func(counts []int) []privacy.Cell {
		if exact {
			out := make([]privacy.Cell, len(counts))
			for i, c := range counts {
				out[i] = privacy.Cell{Value: c}
			}
			return out
		}
		shown, _, _ := privacy.SuppressList(counts, k, false)
		return shown
	}
	v.Submissions = changeOf(cells([]int{in.now.Submissions})[0], cells([]int{in.prev.Submissions})[0])
	v.Needs = counted(in.needs, in.now.Needs, in.prev.Needs, lang, cells)
	if len(v.Needs) > topNeeds {
		v.Needs = v.Needs[:topNeeds]
	}
	v.Strengths = counted(in.strength, in.now.Strengths, in.prev.Strengths, lang, cells)
	for _, q := range in.now.Quotes {
		// DigestFacts gives only approved or redacted text that may be
		// quoted; checked again here because this is where text leaves.
		if q.MayQuote && (q.State == models.TextApproved || q.State == models.TextRedacted) {
			v.Quotes = append(v.Quotes, QuoteItem{Site: in.sites[q.SiteID], Day: q.Day.String(), Text: q.Body})
		}
	}
	voters := make([]int, len(in.now.Sessions))
	for i, s := range in.now.Sessions {
		voters[i] = s.Voters
	}
	for i, s := range in.now.Sessions {
		// Each session's voters is its own count: suppressed one by one.
		v.Sessions = append(v.Sessions, SessionItem{Title: s.Title, Site: in.sites[s.SiteID], Day: s.Day.String(),
			Rounds: s.Rounds, Voters: cells(voters[i : i+1])[0]})
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

// counted lists the categories chosen in either period with their counts.
// Suppression sees each period's whole list at once. Shown counts come
// first, largest first; hidden ones follow by code, so their order says
// nothing about their size.
func counted(cats []models.Category, now, prev map[string]int, lang string, cells func([]int) []privacy.Cell) []CountItem {
	var items []CountItem
	var nowCounts, prevCounts []int
	for _, c := range cats {
		if now[c.Code] == 0 && prev[c.Code] == 0 {
			continue
		}
		items = append(items, CountItem{Code: c.Code, Label: c.Labels.In(lang)})
		nowCounts, prevCounts = append(nowCounts, now[c.Code]), append(prevCounts, prev[c.Code])
	}
	if len(items) == 0 {
		return []CountItem{}
	}
	nowCells, prevCells := cells(nowCounts), cells(prevCounts)
	for i := range items {
		items[i].Change = changeOf(nowCells[i], prevCells[i])
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
