package demo

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// demoFinding is a finding the demo ships: its statement in both
// languages, the default codebook's codes it rests on (by position), and
// how the community answered it at each site (agree, disagree, unsure; the
// sites in the demo's order).
type demoFinding struct {
	en, es string
	codes  []int
	checks [][3]int
}

// The last entry's community disagrees at the van, so the demo shows a
// finding flagged for another look.
var demoFindings = []demoFinding{
	{"People look out for each other. They carry naloxone and share new supplies with friends who cannot get to us.",
		"Las personas se cuidan entre sí. Llevan naloxona y comparten material nuevo con amistades que no pueden llegar hasta nosotros.",
		[]int{1, 2}, [][3]int{{21, 2, 3}, {14, 1, 2}}},
	{"People pass on what they learn about testing and what is going around, so their friends stay safer.",
		"Las personas comparten lo que aprenden sobre pruebas y lo que circula, para que sus amistades estén más seguras.",
		[]int{3, 4}, [][3]int{{16, 4, 5}, {12, 3, 1}}},
	{"Recovery looks different for each person, and people want to lead it themselves.",
		"La recuperación es distinta para cada persona, y la gente quiere dirigirla por sí misma.",
		[]int{-1}, [][3]int{{13, 5, 4}, {4, 12, 2}}},
}

// seedFindings writes the demo's findings through the store (the rules on
// quotable exemplars are the real ones), puts them to the kiosks for two
// weeks, and records how the community answered, as the kiosks' answers
// add up by finding, site and day; a finding the community disagrees with
// is flagged by the same rule as a real one. It returns the findings' ids,
// in demoFindings' order.
func seedFindings(ctx context.Context, tx *gorm.DB, st *store.Store, res *Result, admin models.User, day models.Day) ([]string, error) {
	org := res.Organization.ID
	books, err := st.Codebooks(ctx, org)
	if err != nil {
		return nil, err
	}
	codes, err := st.Codes(ctx, org, books[0].ID)
	if err != nil {
		return nil, err
	}
	// Quotable kiosk texts, with the codes their coders gave them, and
	// whether an overlap sample holds them (its codes are fixed once
	// submitted).
	var quotable []struct {
		ID      string
		CodeID  *string
		Sampled bool
	}
	err = tx.Table("research_excerpts").
		Select("research_excerpts.id, codings.code_id, "+
			"EXISTS (SELECT 1 FROM research_assignments a WHERE a.excerpt_id = research_excerpts.id) AS sampled").
		Joins("JOIN feedback_texts ON feedback_texts.id = research_excerpts.feedback_text_id").
		Joins("LEFT JOIN codings ON codings.excerpt_id = research_excerpts.id").
		Where("research_excerpts.organization_id = ? AND feedback_texts.state IN ? AND feedback_texts.may_quote = ?",
			org, []string{models.TextApproved, models.TextRedacted}, true).
		Order("research_excerpts.day, research_excerpts.id").Scan(&quotable).Error
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	var ids []string
	for _, d := range demoFindings {
		var codeIDs, exemplars []string
		for _, i := range d.codes {
			if i < 0 {
				i += len(codes)
			}
			codeIDs = append(codeIDs, codes[i].ID)
		}
		// Exemplars bear the finding's codes: texts a coder gave one of
		// them, or else a text outside the sample that the admin codes now.
		for _, q := range quotable {
			if len(exemplars) < 2 && q.CodeID != nil && slices.Contains(codeIDs, *q.CodeID) && !slices.Contains(exemplars, q.ID) {
				exemplars = append(exemplars, q.ID)
			}
		}
		for _, q := range quotable {
			if len(exemplars) > 0 {
				break
			}
			if !q.Sampled && !used[q.ID] {
				if _, err := st.By(&admin).AddCoding(ctx, org, q.ID, codeIDs[0], nil); err != nil {
					return nil, fmt.Errorf("demo exemplar: %w", err)
				}
				exemplars = append(exemplars, q.ID)
			}
		}
		// Should every quotable text sit in the sample without these
		// codes, the finding still shows what people said.
		for _, q := range quotable {
			if len(exemplars) == 0 && !used[q.ID] {
				exemplars = append(exemplars, q.ID)
			}
		}
		for _, id := range exemplars {
			used[id] = true
		}
		en, es := d.en, d.es
		f, err := st.By(&admin).CreateFinding(ctx, org, store.FindingInput{StatementEN: &en, StatementES: &es, CodeIDs: &codeIDs, ExcerptIDs: &exemplars})
		if err != nil {
			return nil, fmt.Errorf("demo finding: %w", err)
		}
		ids = append(ids, f.ID)
		if _, err := st.By(&admin).AskAtKiosks(ctx, org, f.ID, store.AskInput{Start: day.AddDays(-14), End: day}); err != nil {
			return nil, fmt.Errorf("demo finding asked: %w", err)
		}
		disagreed := false
		for i, c := range d.checks {
			site := res.Sites[i%len(res.Sites)]
			row := models.ResearchFindingCheck{ID: models.NewID(), OrganizationID: org, FindingID: f.ID, SiteID: site.ID,
				Day: day.AddDays(-3 - i), Source: models.CheckKiosk, Agree: c[0], Disagree: c[1], Unsure: c[2]}
			if err := tx.Create(&row).Error; err != nil {
				return nil, err
			}
			disagreed = disagreed || store.CommunityDisagrees(c[0], c[1], c[2], res.Organization.MinCell)
		}
		if disagreed {
			flag := true
			if _, err := st.By(&admin).UpdateFinding(ctx, org, f.ID, store.FindingInput{Flagged: &flag}); err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
}
