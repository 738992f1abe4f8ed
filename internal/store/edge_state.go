package store

import (
	"context"

	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/models"
)

// EdgeState is what a van pulls down: the organization's settings, its
// site, every category (retired ones marked), the site's open proposals
// and the decided ones of the "what changed" board with their latest
// update.
func (s *Store) EdgeState(ctx context.Context, ea EdgeAuth) (edge.State, error) {
	org, err := s.Organization(ctx, ea.Device.OrganizationID)
	if err != nil {
		return edge.State{}, err
	}
	st := edge.State{
		Organization: edge.Organization{ID: org.ID, Name: org.Name, Slug: org.Slug, Languages: org.Languages,
			MinVoters: max(org.MinVoters, 1), MinCell: org.MinCell, UrgentWords: org.UrgentWords, Resources: org.Resources},
		Site:       ea.Site,
		Categories: []edge.Category{},
		Proposals:  []edge.Proposal{},
	}
	var cats []models.Category
	if err := s.conn(ctx).Where("organization_id = ?", org.ID).Order("kind, position, code").Find(&cats).Error; err != nil {
		return edge.State{}, translate(err, "categories")
	}
	for _, c := range cats {
		st.Categories = append(st.Categories, edge.Category{Kind: c.Kind, Code: c.Code, Icon: c.Icon, Labels: c.Labels, Position: c.Position, Active: c.Active})
	}
	var open []models.Proposal
	if err := s.conn(ctx).Where("organization_id = ? AND status = ?", org.ID, models.StatusOpen).Where(concernsSite, ea.Site.ID).
		Order("updated_at DESC, id").Limit(100).Find(&open).Error; err != nil {
		return edge.State{}, translate(err, "open proposals")
	}
	for _, p := range open {
		st.Proposals = append(st.Proposals, edge.Proposal{ID: p.ID, Title: p.Title, Description: p.Description, Origin: p.Origin,
			Status: p.Status, Needs: p.Needs, CreatedOn: p.CreatedOn})
	}
	outcomes, err := s.Outcomes(ctx, org.ID, 10)
	if err != nil {
		return edge.State{}, err
	}
	for _, o := range outcomes {
		st.Proposals = append(st.Proposals, edge.Proposal{ID: o.ID, Title: o.Title, Status: o.Status, Origin: models.OriginStaff,
			Needs: models.Codes{}, Update: o.Update})
	}
	return st, nil
}
