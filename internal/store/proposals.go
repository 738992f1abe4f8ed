package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/models"
)

// Transitions are the moves of a proposal's lifecycle: a status may move
// only to the statuses listed for it. Done and declined are final.
var Transitions = map[string][]string{
	models.StatusDraft:       {models.StatusOpen},
	models.StatusOpen:        {models.StatusUnderReview, models.StatusDeclined},
	models.StatusUnderReview: {models.StatusAccepted, models.StatusDeclined},
	models.StatusAccepted:    {models.StatusInProgress, models.StatusDone, models.StatusDeclined},
	models.StatusInProgress:  {models.StatusDone},
}

// Origins are where a proposal came from.
var Origins = []string{models.OriginParticipants, models.OriginPeerFacilitator, models.OriginStaff, models.OriginPolicymaker}

// TransitionError refuses a move the lifecycle does not allow.
type TransitionError struct {
	From, To string
	Allowed  []string
}

func (e *TransitionError) Error() string {
	if e.From == e.To {
		return fmt.Sprintf("a %s proposal takes no progress notes; it can move to: %s", e.From, allowedList(e.Allowed))
	}
	return fmt.Sprintf("a proposal that is %s cannot move to %s; it can move to: %s", e.From, e.To, allowedList(e.Allowed))
}

func allowedList(to []string) string {
	if len(to) == 0 {
		return "nothing (its status is final)"
	}
	return strings.Join(to, ", ")
}

// ProposalInput is a new proposal.
type ProposalInput struct {
	Title, Description models.Text
	Origin             string
	Needs              []string
	SiteIDs            []string
	Evidence           []EvidenceInput
}

// EvidenceInput is one thing a proposal rests on: a need (Code, with an
// optional SiteID), an approved comment or a live round (ID).
type EvidenceInput struct {
	Kind, Code, SiteID, ID string
}

// ProposalView is a proposal with the sites it concerns and whether its
// answer is overdue.
type ProposalView struct {
	models.Proposal
	SiteIDs []string `json:"site_ids"`
	Overdue bool     `json:"overdue"`
}

// ProposalDetail is a proposal with its public updates and evidence.
type ProposalDetail struct {
	Proposal ProposalView              `json:"proposal"`
	Updates  []models.ProposalUpdate   `json:"updates"`
	Evidence []models.ProposalEvidence `json:"evidence"`
}

// ProposalFilter narrows a list of proposals; empty fields match all.
type ProposalFilter struct {
	Status, Origin, SiteID string
}

func validateText(field string, t models.Text, max int) error {
	for _, lang := range catalog.Languages {
		v := strings.TrimSpace(t[lang])
		if v == "" || len([]rune(v)) > max {
			return invalid(fmt.Sprintf("%s.%s", field, lang), fmt.Sprintf("must be 1 to %d characters", max))
		}
	}
	for lang := range t {
		if !slices.Contains(catalog.Languages, lang) {
			return invalid(field+"."+lang, "is not a language Chorus speaks")
		}
	}
	return nil
}

func trimText(t models.Text) models.Text {
	out := models.Text{}
	for k, v := range t {
		out[k] = strings.TrimSpace(v)
	}
	return out
}

// validateProposal checks what a proposal says and where it applies.
func (s *Store) validateProposal(ctx context.Context, orgID string, in ProposalInput) (isNeed func(string) bool, err error) {
	if err := validateText("title", in.Title, 200); err != nil {
		return nil, err
	}
	if err := validateText("description", in.Description, 2000); err != nil {
		return nil, err
	}
	if len(in.Needs) > 20 || len(in.SiteIDs) > 50 {
		return nil, invalid("needs", "too many needs (at most 20) or sites (at most 50)")
	}
	needs, err := s.AllCategories(ctx, orgID, models.KindNeed)
	if err != nil {
		return nil, err
	}
	isNeed = func(code string) bool {
		return slices.ContainsFunc(needs, func(c models.Category) bool { return c.Code == code })
	}
	for i, code := range in.Needs {
		if !isNeed(code) {
			return nil, invalid(fmt.Sprintf("needs[%d]", i), "is not a need category of this program")
		}
	}
	for i, id := range in.SiteIDs {
		if !models.IsID(id) {
			return nil, invalid(fmt.Sprintf("site_ids[%d]", i), "is not a site of this program")
		}
		if _, err := s.Site(ctx, orgID, id); err != nil {
			return nil, invalid(fmt.Sprintf("site_ids[%d]", i), "is not a site of this program")
		}
	}
	return isNeed, nil
}

// validateOrigin checks a new proposal's origin and the evidence it rests on.
func (s *Store) validateOrigin(ctx context.Context, orgID string, in ProposalInput, isNeed func(string) bool) error {
	if !slices.Contains(Origins, in.Origin) {
		return invalid("origin", "must be one of: "+strings.Join(Origins, ", "))
	}
	if len(in.Evidence) > 20 {
		return invalid("evidence", "must hold at most 20 items")
	}
	if in.Origin == models.OriginParticipants && len(in.Evidence) == 0 {
		return invalid("evidence", "a proposal from participants must link to what they said: a need, an approved comment or a live round")
	}
	for i, e := range in.Evidence {
		if err := s.checkEvidence(ctx, orgID, e, isNeed); err != nil {
			return invalid(fmt.Sprintf("evidence[%d]", i), err.Error())
		}
	}
	return nil
}

func (s *Store) checkEvidence(ctx context.Context, orgID string, e EvidenceInput, isNeed func(string) bool) error {
	switch e.Kind {
	case models.EvidenceNeed:
		if !isNeed(e.Code) {
			return fmt.Errorf("code is not a need category of this program")
		}
		if e.SiteID != "" {
			if !models.IsID(e.SiteID) {
				return fmt.Errorf("site_id is not a site of this program")
			}
			if _, err := s.Site(ctx, orgID, e.SiteID); err != nil {
				return fmt.Errorf("site_id is not a site of this program")
			}
		}
	case models.EvidenceFeedbackText:
		var n int64
		err := s.conn(ctx).Model(&models.FeedbackText{}).Where("organization_id = ? AND id = ? AND state IN ?",
			orgID, e.ID, []string{models.TextApproved, models.TextRedacted}).Count(&n).Error
		if err != nil {
			return translate(err, "feedback text")
		}
		if !models.IsID(e.ID) || n == 0 {
			return fmt.Errorf("id is not an approved comment of this program")
		}
	case models.EvidenceLiveRound:
		var n int64
		err := s.conn(ctx).Model(&models.LiveRound{}).Joins("JOIN live_sessions ON live_sessions.id = live_rounds.session_id").
			Where("live_sessions.organization_id = ? AND live_rounds.id = ?", orgID, e.ID).Count(&n).Error
		if err != nil {
			return translate(err, "live round")
		}
		if !models.IsID(e.ID) || n == 0 {
			return fmt.Errorf("id is not a live-session round of this program")
		}
	default:
		return fmt.Errorf("kind must be one of: need, feedback_text, live_round")
	}
	return nil
}

// CreateProposal stores a draft proposal with its sites and evidence.
func (s *Store) CreateProposal(ctx context.Context, orgID string, by models.User, in ProposalInput) (models.Proposal, error) {
	isNeed, err := s.validateProposal(ctx, orgID, in)
	if err != nil {
		return models.Proposal{}, err
	}
	if err := s.validateOrigin(ctx, orgID, in, isNeed); err != nil {
		return models.Proposal{}, err
	}
	p := models.Proposal{ID: models.NewID(), OrganizationID: orgID, Title: trimText(in.Title), Description: trimText(in.Description),
		Origin: in.Origin, Status: models.StatusDraft, Needs: nonNilCodes(in.Needs), CreatedBy: userRef(by),
		CreatedOn: s.today(), CreatedAt: s.now(), UpdatedAt: s.now()}
	err = s.InTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Create(&p).Error; err != nil {
			return translate(err, "store proposal")
		}
		if err := s.setProposalSites(ctx, p.ID, in.SiteIDs); err != nil {
			return err
		}
		for _, e := range in.Evidence {
			row := models.ProposalEvidence{ID: models.NewID(), ProposalID: p.ID, Kind: e.Kind}
			if e.Kind == models.EvidenceNeed {
				row.Code = &e.Code
			} else {
				row.RefID = &e.ID
			}
			if e.SiteID != "" {
				row.SiteID = &e.SiteID
			}
			if err := s.conn(ctx).Create(&row).Error; err != nil {
				return translate(err, "store evidence")
			}
		}
		return nil
	})
	return p, err
}

// userRef is the user to record as an author, none for a zero user.
func userRef(u models.User) *string {
	if u.ID == "" {
		return nil
	}
	return &u.ID
}

func nonNilCodes(c []string) models.Codes {
	if c == nil {
		return models.Codes{}
	}
	return c
}

func (s *Store) setProposalSites(ctx context.Context, proposalID string, siteIDs []string) error {
	if err := s.conn(ctx).Where("proposal_id = ?", proposalID).Delete(&models.ProposalSite{}).Error; err != nil {
		return translate(err, "proposal sites")
	}
	seen := map[string]bool{}
	for _, id := range siteIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		if err := s.conn(ctx).Create(&models.ProposalSite{ProposalID: proposalID, SiteID: id}).Error; err != nil {
			return translate(err, "proposal site")
		}
	}
	return nil
}

// ProposalEdit changes a draft; nil fields keep their value.
type ProposalEdit struct {
	Title, Description *models.Text
	Needs, SiteIDs     *[]string
}

// EditProposal changes a draft's words, needs or sites. Once a proposal is
// open, what people answered must stay what it says: it changes only
// through public updates.
func (s *Store) EditProposal(ctx context.Context, orgID, id string, in ProposalEdit) (ProposalView, error) {
	err := s.InTx(ctx, func(ctx context.Context) error {
		p, err := s.proposal(ctx, orgID, id)
		if err != nil {
			return err
		}
		if p.Status != models.StatusDraft {
			return invalid("status", "only a draft can be edited; post an update instead")
		}
		sites, err := s.proposalSites(ctx, p.ID)
		if err != nil {
			return err
		}
		check := ProposalInput{Title: p.Title, Description: p.Description, Needs: p.Needs, SiteIDs: sites}
		if in.Title != nil {
			check.Title = *in.Title
		}
		if in.Description != nil {
			check.Description = *in.Description
		}
		if in.Needs != nil {
			check.Needs = *in.Needs
		}
		if in.SiteIDs != nil {
			check.SiteIDs = *in.SiteIDs
		}
		if _, err := s.validateProposal(ctx, orgID, check); err != nil {
			return err
		}
		err = s.conn(ctx).Model(&models.Proposal{}).Where("id = ?", p.ID).Updates(map[string]any{
			"title": trimText(check.Title), "description": trimText(check.Description), "needs": nonNilCodes(check.Needs), "updated_at": s.now(),
		}).Error
		if err != nil {
			return translate(err, "edit proposal")
		}
		if in.SiteIDs != nil {
			return s.setProposalSites(ctx, p.ID, check.SiteIDs)
		}
		return nil
	})
	if err != nil {
		return ProposalView{}, err
	}
	d, err := s.ProposalDetail(ctx, orgID, id)
	return d.Proposal, err
}

func (s *Store) proposal(ctx context.Context, orgID, id string) (models.Proposal, error) {
	if !models.IsID(id) {
		return models.Proposal{}, translate(errNotFound, "proposal")
	}
	var p models.Proposal
	err := s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).First(&p).Error
	return p, translate(err, "proposal")
}

func (s *Store) proposalSites(ctx context.Context, id string) ([]string, error) {
	out := []string{}
	err := s.conn(ctx).Model(&models.ProposalSite{}).Where("proposal_id = ?", id).Order("site_id").Pluck("site_id", &out).Error
	return out, translate(err, "proposal sites")
}

// sitesOf returns the sites each of the proposals names, in id order, in
// one query for the whole list. A proposal about every site has no entry.
func (s *Store) sitesOf(ctx context.Context, props []models.Proposal) (map[string][]string, error) {
	out := map[string][]string{}
	if len(props) == 0 {
		return out, nil
	}
	var links []models.ProposalSite
	if err := s.conn(ctx).Where("proposal_id IN ?", proposalIDs(props)).Order("proposal_id, site_id").Find(&links).Error; err != nil {
		return nil, translate(err, "proposal sites")
	}
	for _, l := range links {
		out[l.ProposalID] = append(out[l.ProposalID], l.SiteID)
	}
	return out, nil
}

// proposalIDs are the proposals' ids, in order.
func proposalIDs(props []models.Proposal) []string {
	ids := make([]string, len(props))
	for i, p := range props {
		ids[i] = p.ID
	}
	return ids
}

// ProposalDetail returns a proposal with its updates, oldest first, and
// its evidence.
func (s *Store) ProposalDetail(ctx context.Context, orgID, id string) (ProposalDetail, error) {
	p, err := s.proposal(ctx, orgID, id)
	if err != nil {
		return ProposalDetail{}, err
	}
	org, err := s.Organization(ctx, orgID)
	if err != nil {
		return ProposalDetail{}, err
	}
	views, err := s.proposalViews(ctx, org, []models.Proposal{p})
	if err != nil {
		return ProposalDetail{}, err
	}
	out := ProposalDetail{Proposal: views[0], Updates: []models.ProposalUpdate{}, Evidence: []models.ProposalEvidence{}}
	if err := s.conn(ctx).Where("proposal_id = ?", id).Order("day, created_at, id").Find(&out.Updates).Error; err != nil {
		return ProposalDetail{}, translate(err, "proposal updates")
	}
	err = s.conn(ctx).Where("proposal_id = ?", id).Order("kind, id").Find(&out.Evidence).Error
	return out, translate(err, "proposal evidence")
}

// Proposals lists an organization's proposals, newest first.
func (s *Store) Proposals(ctx context.Context, orgID string, f ProposalFilter) ([]ProposalView, error) {
	org, err := s.Organization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	q := s.conn(ctx).Where("organization_id = ?", orgID)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Origin != "" {
		q = q.Where("origin = ?", f.Origin)
	}
	if f.SiteID != "" {
		q = q.Where(concernsSite, f.SiteID)
	}
	var props []models.Proposal
	if err := q.Order("created_at DESC, id").Limit(500).Find(&props).Error; err != nil {
		return nil, translate(err, "proposals")
	}
	return s.proposalViews(ctx, org, props)
}

// concernsSite matches proposals about a site, or about every site (none
// named).
const concernsSite = `(NOT EXISTS (SELECT 1 FROM proposal_sites ps WHERE ps.proposal_id = proposals.id)
	OR EXISTS (SELECT 1 FROM proposal_sites ps WHERE ps.proposal_id = proposals.id AND ps.site_id = ?))`

func (s *Store) proposalViews(ctx context.Context, org models.Organization, props []models.Proposal) ([]ProposalView, error) {
	sites, err := s.sitesOf(ctx, props)
	if err != nil {
		return nil, err
	}
	today := s.today()
	out := make([]ProposalView, len(props))
	for i, p := range props {
		out[i] = ProposalView{Proposal: p, SiteIDs: sites[p.ID], Overdue: Overdue(p, org.ResponseDays, today)}
		if out[i].SiteIDs == nil {
			out[i].SiteIDs = []string{}
		}
	}
	return out, nil
}

// Overdue reports whether a proposal put to people still waits for the
// program's first answer after the promised number of days.
func Overdue(p models.Proposal, responseDays int, today models.Day) bool {
	return p.Status != models.StatusDraft && p.RespondedOn == nil && daysBetween(p.CreatedOn, today) > responseDays
}

func daysBetween(a, b models.Day) int {
	return int(b.Time().Sub(a.Time()).Hours() / 24)
}

// today is the day in UTC: proposals are the program's records, not a
// participant's, and their figures read the same everywhere.
func (s *Store) today() models.Day { return models.DayOf(s.now(), s.now().Location()) }
