package store

import (
	"context"
	"slices"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/models"
)

// Outcome is a proposal's public state with its latest dated update, as
// the "what changed because people spoke up" board shows it.
type Outcome struct {
	ID     string                 `json:"id"`
	Title  models.Text            `json:"title"`
	Status string                 `json:"status"`
	Update *models.ProposalUpdate `json:"update"`
}

// outcomeStatuses are the statuses the kiosk's board shows: a decision was made.
var outcomeStatuses = []string{models.StatusAccepted, models.StatusInProgress, models.StatusDone, models.StatusDeclined}

// Outcomes lists the organization's decided proposals, most recently
// updated first, each with its latest update.
func (s *Store) Outcomes(ctx context.Context, orgID string, limit int) ([]Outcome, error) {
	if limit <= 0 || limit > 50 {
		limit = 10
	}
	var props []models.Proposal
	err := s.conn(ctx).Where("organization_id = ? AND status IN ?", orgID, outcomeStatuses).
		Order("updated_at DESC, id").Limit(limit).Find(&props).Error
	if err != nil {
		return nil, translate(err, "outcomes")
	}
	updates, err := s.updatesOf(ctx, props)
	if err != nil {
		return nil, err
	}
	out := make([]Outcome, 0, len(props))
	for _, p := range props {
		o := Outcome{ID: p.ID, Title: p.Title, Status: p.Status}
		if ups := updates[p.ID]; len(ups) > 0 {
			o.Update = &ups[len(ups)-1]
		}
		out = append(out, o)
	}
	return out, nil
}

// updatesOf returns the proposals' updates, oldest first per proposal.
func (s *Store) updatesOf(ctx context.Context, props []models.Proposal) (map[string][]models.ProposalUpdate, error) {
	out := map[string][]models.ProposalUpdate{}
	if len(props) == 0 {
		return out, nil
	}
	var ups []models.ProposalUpdate
	if err := s.conn(ctx).Where("proposal_id IN ?", proposalIDs(props)).Order("day, created_at, id").Find(&ups).Error; err != nil {
		return nil, translate(err, "proposal updates")
	}
	for _, u := range ups {
		out[u.ProposalID] = append(out[u.ProposalID], u)
	}
	return out, nil
}

// PublicUpdate is an update as anyone may read it.
type PublicUpdate struct {
	Status string      `json:"status"`
	Body   models.Text `json:"body"`
	Day    models.Day  `json:"day"`
}

// PublicProposal is a proposal as anyone may read it: no evidence, no
// author, nothing about any submission.
type PublicProposal struct {
	ID          string         `json:"id"`
	Title       models.Text    `json:"title"`
	Description models.Text    `json:"description"`
	Status      string         `json:"status"`
	Needs       models.Codes   `json:"needs"`
	Sites       []string       `json:"sites"`
	Updates     []PublicUpdate `json:"updates"`
}

// publicStatuses are every status but draft: what was put to people.
var publicStatuses = []string{models.StatusOpen, models.StatusUnderReview, models.StatusAccepted, models.StatusInProgress,
	models.StatusDone, models.StatusDeclined}

// PublicOrganization finds the organization whose board is public at slug.
func (s *Store) PublicOrganization(ctx context.Context, slug string) (models.Organization, error) {
	var org models.Organization
	err := s.conn(ctx).Where("slug = ? AND public_board = ?", slug, true).First(&org).Error
	return org, translate(err, "board")
}

// PublicBoards lists the organizations whose board is public, by name: the
// front page links to them. A board's name and slug are public already.
func (s *Store) PublicBoards(ctx context.Context) ([]models.Organization, error) {
	var orgs []models.Organization
	err := s.conn(ctx).Select("name", "slug").Where("public_board = ?", true).Order("name").Limit(100).Find(&orgs).Error
	return orgs, translate(err, "boards")
}

// PublicProposals lists the organization's proposals that were put to
// people, most recently updated first, with all their updates.
func (s *Store) PublicProposals(ctx context.Context, orgID string, limit int) ([]PublicProposal, error) {
	var props []models.Proposal
	err := s.conn(ctx).Where("organization_id = ? AND status IN ?", orgID, publicStatuses).
		Order("updated_at DESC, id").Limit(limit).Find(&props).Error
	if err != nil {
		return nil, translate(err, "proposals")
	}
	return s.publicProposals(ctx, orgID, props)
}

// publicProposals shapes proposals for the public, with a fixed number of
// queries however many there are: the board is unauthenticated.
func (s *Store) publicProposals(ctx context.Context, orgID string, props []models.Proposal) ([]PublicProposal, error) {
	updates, err := s.updatesOf(ctx, props)
	if err != nil {
		return nil, err
	}
	siteIDs, err := s.sitesOf(ctx, props)
	if err != nil {
		return nil, err
	}
	sites, err := s.Sites(ctx, orgID)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, site := range sites {
		names[site.ID] = site.Name
	}
	out := make([]PublicProposal, 0, len(props))
	for _, p := range props {
		pp := PublicProposal{ID: p.ID, Title: p.Title, Description: p.Description, Status: p.Status, Needs: nonNilCodes(p.Needs),
			Sites: []string{}, Updates: []PublicUpdate{}}
		for _, id := range siteIDs[p.ID] {
			pp.Sites = append(pp.Sites, names[id])
		}
		for _, u := range updates[p.ID] {
			pp.Updates = append(pp.Updates, PublicUpdate{Status: u.Status, Body: u.Body, Day: u.Day})
		}
		out = append(out, pp)
	}
	return out, nil
}

// ReceiptProposals returns the proposals (not drafts) whose needs overlap
// the needs raised in the submission made with a receipt code. Nothing else
// about the submission leaves this function. ErrNotFound when no
// submission of the organization has that code.
func (s *Store) ReceiptProposals(ctx context.Context, orgID, code string) ([]PublicProposal, error) {
	var subs []models.Submission
	err := s.conn(ctx).Select("needs").Where("organization_id = ? AND receipt_hash = ?", orgID, auth.HashSecret(auth.NormalizeCode(code))).
		Limit(1).Find(&subs).Error
	if err != nil {
		return nil, translate(err, "receipt")
	}
	if len(subs) == 0 {
		return nil, translate(errNotFound, "receipt")
	}
	var props []models.Proposal
	if err := s.conn(ctx).Where("organization_id = ? AND status IN ?", orgID, publicStatuses).
		Order("updated_at DESC, id").Find(&props).Error; err != nil {
		return nil, translate(err, "proposals")
	}
	props = slices.DeleteFunc(props, func(p models.Proposal) bool {
		return !slices.ContainsFunc(p.Needs, func(n string) bool { return slices.Contains(subs[0].Needs, n) })
	})
	return s.publicProposals(ctx, orgID, props)
}

// SheetLine is one update on the printable "what changed this month" sheet.
type SheetLine struct {
	ProposalID string      `json:"proposal_id"`
	Title      models.Text `json:"title"`
	Status     string      `json:"status"`
	Body       models.Text `json:"body"`
	Day        models.Day  `json:"day"`
}

// MonthSheet lists the public updates of [from, to) on proposals
// concerning a site (or every site when siteID is empty), oldest first.
func (s *Store) MonthSheet(ctx context.Context, orgID, siteID string, from, to models.Day) ([]SheetLine, error) {
	q := s.conn(ctx).Table("proposal_updates").
		Select("proposal_updates.proposal_id, proposals.title, proposal_updates.status, proposal_updates.body, proposal_updates.day").
		Joins("JOIN proposals ON proposals.id = proposal_updates.proposal_id").
		Where("proposals.organization_id = ? AND proposals.status IN ? AND proposal_updates.day >= ? AND proposal_updates.day < ?",
			orgID, publicStatuses, from, to)
	if siteID != "" {
		q = q.Where(concernsSite, siteID)
	}
	out := []SheetLine{}
	err := q.Order("proposal_updates.day, proposal_updates.created_at, proposal_updates.id").Limit(200).Scan(&out).Error
	return out, translate(err, "month sheet")
}
