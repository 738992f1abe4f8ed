package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/chorus-hr/chorus/models"
)

// CodeCounts checks codeIDs (1 to 20 codes of the organization's
// codebooks, none removed; field code_ids) and lists the readable
// excerpts holding any of them, bit j for ids[j] (the codes sorted,
// without repeats; see CodedExcerpts). Exact: publish them
// through report.PublishCodeCounts.
func (s *Store) CodeCounts(ctx context.Context, orgID string, codeIDs []string) (ids []string, excerpts []models.CodedExcerpt, err error) {
	if ids, err = s.checkFindingCodes(ctx, orgID, &codeIDs); err != nil {
		return nil, nil, err
	}
	excerpts, err = s.CodedExcerpts(ctx, orgID, ids)
	return ids, excerpts, err
}

// MaxCountedCodes is the most codes CodedExcerpts tells apart (one bit
// each).
const MaxCountedCodes = 64

// CodedExcerpts lists the readable excerpts that any coder gave any of
// codeIDs, on the whole text or a span, with bit j set for codeIDs[j];
// excerpts still coded blind in an overlap sample are left out until every
// coder has submitted them (a count would tell the coders, and anyone,
// what the others chose). Exact: publish through the report package.
func (s *Store) CodedExcerpts(ctx context.Context, orgID string, codeIDs []string) ([]models.CodedExcerpt, error) {
	if len(codeIDs) == 0 {
		return []models.CodedExcerpt{}, nil
	}
	if len(codeIDs) > MaxCountedCodes {
		return nil, &InvalidError{Field: "codes", Reason: fmt.Sprintf("at most %d codes", MaxCountedCodes)}
	}
	var rows []struct {
		ID, SiteID, CodeID string
		Day                models.Day
	}
	err := s.readable(ctx, orgID).
		Select("DISTINCT research_excerpts.id, research_excerpts.site_id, research_excerpts.day, codings.code_id").
		Joins("JOIN codings ON codings.excerpt_id = research_excerpts.id").
		Where("codings.code_id IN ?", codeIDs).
		Where("NOT EXISTS (SELECT 1 FROM research_assignments a WHERE a.excerpt_id = codings.excerpt_id AND a.sample_id IS NOT NULL AND a.submitted_at IS NULL)").
		Order("research_excerpts.id").Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "coded excerpts")
	}
	out := []models.CodedExcerpt{}
	for i, r := range rows {
		if i == 0 || rows[i-1].ID != r.ID {
			out = append(out, models.CodedExcerpt{SiteID: r.SiteID, Day: r.Day})
		}
		out[len(out)-1].Codes |= 1 << slices.Index(codeIDs, r.CodeID)
	}
	return out, nil
}
