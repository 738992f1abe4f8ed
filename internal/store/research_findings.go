package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/models"
)

// Audit actions of findings.
const (
	AuditFindingCreated = "research.finding_created"
	AuditFindingUpdated = "research.finding_updated"
)

// Limits of a finding.
const (
	maxStatementRunes = 2000
	maxFindingCodes   = 20
	maxExemplars      = 10
)

// FindingInput is what a command sets on a finding; a nil field is left
// as it is (an update) or refused when required (a creation).
type FindingInput struct {
	StatementEN, StatementES *string
	CodeIDs, ExcerptIDs      *[]string
	Flagged                  *bool
}

// FindingView is a finding with the codes and exemplars it links.
type FindingView struct {
	models.ResearchFinding
	CodeIDs    []string `json:"code_ids"`
	ExcerptIDs []string `json:"excerpt_ids"`
}

// FindingCode is a finding's code as it reads now.
type FindingCode struct {
	ID     string      `json:"id"`
	Name   models.Text `json:"name"`
	Colour string      `json:"colour"`
}

// Exemplar is a quotable excerpt's text, with its site and day.
type Exemplar struct {
	ID     string     `json:"id"`
	SiteID string     `json:"site_id"`
	Day    models.Day `json:"day"`
	Text   string     `json:"text"`
}

// FindingDetail is a finding with its codes and the exemplars still
// quotable (a text rejected later, or whose consent changed, drops out).
type FindingDetail struct {
	FindingView
	Codes     []FindingCode `json:"codes"`
	Exemplars []Exemplar    `json:"exemplars"`
}

// CreateFinding writes a finding with its codes and exemplars.
func (a Actor) CreateFinding(ctx context.Context, orgID string, in FindingInput) (FindingView, error) {
	switch {
	case in.StatementEN == nil:
		return FindingView{}, invalid("statement_en", "is required")
	case in.StatementES == nil:
		return FindingView{}, invalid("statement_es", "is required")
	case in.CodeIDs == nil:
		return FindingView{}, invalid("code_ids", "is required")
	}
	f := models.ResearchFinding{ID: models.NewID(), OrganizationID: orgID, CreatedBy: a.userPtr(),
		CreatedOn: models.DayOf(a.s.now(), time.UTC)}
	var out FindingView
	err := a.s.InTx(ctx, func(ctx context.Context) error {
		if err := a.s.applyFinding(ctx, &f, in, true); err != nil {
			return err
		}
		var err error
		if out, err = a.s.findingView(ctx, orgID, f.ID); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditFindingCreated, "finding", f.ID, findingBands(out))
	})
	return out, err
}

// UpdateFinding changes what in sets.
func (a Actor) UpdateFinding(ctx context.Context, orgID, id string, in FindingInput) (FindingView, error) {
	var out FindingView
	err := a.s.InTx(ctx, func(ctx context.Context) error {
		before, err := a.s.findingView(ctx, orgID, id)
		if err != nil {
			return err
		}
		f := before.ResearchFinding
		if err := a.s.applyFinding(ctx, &f, in, false); err != nil {
			return err
		}
		if out, err = a.s.findingView(ctx, orgID, id); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditFindingUpdated, "finding", id, findingBands(out))
	})
	return out, err
}

// findingBands is a finding's audit detail: how many links, never the text.
func findingBands(f FindingView) models.Bands {
	return models.Bands{"codes": strconv.Itoa(len(f.CodeIDs)), "exemplars": strconv.Itoa(len(f.ExcerptIDs)),
		"flagged": strconv.FormatBool(f.Flagged)}
}

// applyFinding checks in, then saves f and replaces the links in sets.
func (s *Store) applyFinding(ctx context.Context, f *models.ResearchFinding, in FindingInput, create bool) error {
	for _, st := range []struct {
		field string
		p     **string
	}{{"statement_en", &in.StatementEN}, {"statement_es", &in.StatementES}} {
		if *st.p == nil {
			continue
		}
		text := strings.TrimSpace(**st.p)
		if text == "" || utf8.RuneCountInString(text) > maxStatementRunes {
			return invalid(st.field, "must be 1 to "+strconv.Itoa(maxStatementRunes)+" characters")
		}
		*st.p = &text
	}
	if in.StatementEN != nil {
		f.StatementEN = *in.StatementEN
	}
	if in.StatementES != nil {
		f.StatementES = *in.StatementES
	}
	if in.Flagged != nil {
		f.Flagged = *in.Flagged
	}
	codes, err := s.checkFindingCodes(ctx, f.OrganizationID, in.CodeIDs)
	if err != nil {
		return err
	}
	excerpts, err := s.checkExemplars(ctx, f.OrganizationID, in.ExcerptIDs)
	if err != nil {
		return err
	}
	db := s.conn(ctx)
	if create {
		err = db.Create(f).Error
	} else {
		err = db.Model(f).Select("statement_en", "statement_es", "flagged").Updates(f).Error
	}
	if err != nil {
		return translate(err, "save finding")
	}
	if codes != nil {
		if err := replaceLinks(ctx, s, f.ID, codes, func(id string) any {
			return &models.ResearchFindingCode{FindingID: f.ID, CodeID: id}
		}, &models.ResearchFindingCode{}); err != nil {
			return err
		}
	}
	if excerpts != nil {
		return replaceLinks(ctx, s, f.ID, excerpts, func(id string) any {
			return &models.ResearchFindingExcerpt{FindingID: f.ID, ExcerptID: id}
		}, &models.ResearchFindingExcerpt{})
	}
	return nil
}

func replaceLinks(ctx context.Context, s *Store, findingID string, ids []string, row func(string) any, model any) error {
	if err := s.conn(ctx).Where("finding_id = ?", findingID).Delete(model).Error; err != nil {
		return translate(err, "replace finding links")
	}
	for _, id := range ids {
		if err := s.conn(ctx).Create(row(id)).Error; err != nil {
			return translate(err, "link finding")
		}
	}
	return nil
}

// uniqueIDs sorts and dedups ids, refusing any that is not an identifier.
func uniqueIDs(field string, ids []string, most int) ([]string, error) {
	out := slices.Clone(ids)
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > most {
		return nil, invalid(field, "may name at most "+strconv.Itoa(most))
	}
	for _, id := range out {
		if !models.IsID(id) {
			return nil, invalid(field, "must be identifiers")
		}
	}
	return out, nil
}

// checkFindingCodes returns the codes named (nil when ids is nil), each a
// code of the organization not removed; a finding rests on one at least.
func (s *Store) checkFindingCodes(ctx context.Context, orgID string, ids *[]string) ([]string, error) {
	if ids == nil {
		return nil, nil
	}
	want, err := uniqueIDs("code_ids", *ids, maxFindingCodes)
	if err != nil {
		return nil, err
	}
	if len(want) == 0 {
		return nil, invalid("code_ids", "must name one code or more")
	}
	var found []string
	err = s.conn(ctx).Model(&models.Code{}).Where("organization_id = ? AND id IN ? AND removed_at IS NULL", orgID, want).
		Order("id").Pluck("id", &found).Error
	if err != nil {
		return nil, translate(err, "finding codes")
	}
	if len(found) != len(want) {
		return nil, invalid("code_ids", "must all be codes of the codebook")
	}
	return want, nil
}

// quotable starts a query over the excerpts that may be quoted: kiosk
// text approved or redacted whose participant allowed quoting. A
// transcript is never quotable: nothing records its speakers' consent.
func (s *Store) quotable(ctx context.Context, orgID string) *gorm.DB {
	return s.conn(ctx).Table("research_excerpts").
		Joins("JOIN feedback_texts ON feedback_texts.id = research_excerpts.feedback_text_id").
		Where("research_excerpts.organization_id = ? AND feedback_texts.state IN ? AND feedback_texts.may_quote = ?",
			orgID, []string{models.TextApproved, models.TextRedacted}, true)
}

// checkExemplars returns the excerpts named (nil when ids is nil), each
// quotable, or says which is not and why.
func (s *Store) checkExemplars(ctx context.Context, orgID string, ids *[]string) ([]string, error) {
	if ids == nil {
		return nil, nil
	}
	want, err := uniqueIDs("excerpt_ids", *ids, maxExemplars)
	if err != nil || len(want) == 0 {
		return []string{}, err
	}
	var ok []string
	if err := s.quotable(ctx, orgID).Where("research_excerpts.id IN ?", want).Pluck("research_excerpts.id", &ok).Error; err != nil {
		return nil, translate(err, "exemplars")
	}
	for _, id := range want {
		if slices.Contains(ok, id) {
			continue
		}
		var kind []string
		err := s.conn(ctx).Model(&models.ResearchExcerpt{}).Where("organization_id = ? AND id = ?", orgID, id).Pluck("kind", &kind).Error
		switch {
		case err != nil:
			return nil, translate(err, "exemplar")
		case len(kind) == 0:
			return nil, invalid("excerpt_ids", "excerpt "+id+" does not exist")
		case kind[0] == models.ExcerptTranscript:
			return nil, invalid("excerpt_ids", "excerpt "+id+" is a transcript, and nothing records its speakers' consent to be quoted")
		default:
			return nil, invalid("excerpt_ids", "excerpt "+id+" may not be quoted: only approved or redacted kiosk text whose participant allowed quoting")
		}
	}
	return want, nil
}

// Findings lists the organization's findings, newest first.
func (s *Store) Findings(ctx context.Context, orgID string) ([]FindingView, error) {
	var rows []models.ResearchFinding
	err := s.conn(ctx).Where("organization_id = ?", orgID).Order("created_on DESC, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "findings")
	}
	return s.withLinks(ctx, rows)
}

// findingView returns one finding with its links.
func (s *Store) findingView(ctx context.Context, orgID, id string) (FindingView, error) {
	var f models.ResearchFinding
	if !models.IsID(id) {
		return FindingView{}, translate(errNotFound, "finding")
	}
	if err := s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).First(&f).Error; err != nil {
		return FindingView{}, translate(err, "finding")
	}
	out, err := s.withLinks(ctx, []models.ResearchFinding{f})
	if err != nil {
		return FindingView{}, err
	}
	return out[0], nil
}

// withLinks reads the findings' codes and exemplars in two queries.
func (s *Store) withLinks(ctx context.Context, rows []models.ResearchFinding) ([]FindingView, error) {
	out := make([]FindingView, len(rows))
	index := map[string]int{}
	ids := make([]string, len(rows))
	for i, f := range rows {
		out[i] = FindingView{ResearchFinding: f, CodeIDs: []string{}, ExcerptIDs: []string{}}
		index[f.ID], ids[i] = i, f.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var codes []models.ResearchFindingCode
	if err := s.conn(ctx).Where("finding_id IN ?", ids).Order("code_id").Find(&codes).Error; err != nil {
		return nil, translate(err, "finding codes")
	}
	for _, c := range codes {
		out[index[c.FindingID]].CodeIDs = append(out[index[c.FindingID]].CodeIDs, c.CodeID)
	}
	var excerpts []models.ResearchFindingExcerpt
	if err := s.conn(ctx).Where("finding_id IN ?", ids).Order("excerpt_id").Find(&excerpts).Error; err != nil {
		return nil, translate(err, "finding exemplars")
	}
	for _, e := range excerpts {
		out[index[e.FindingID]].ExcerptIDs = append(out[index[e.FindingID]].ExcerptIDs, e.ExcerptID)
	}
	return out, nil
}

// Finding returns one finding with its codes as they read now and its
// exemplars that are still quotable.
func (s *Store) Finding(ctx context.Context, orgID, id string) (FindingDetail, error) {
	v, err := s.findingView(ctx, orgID, id)
	if err != nil {
		return FindingDetail{}, err
	}
	out := FindingDetail{FindingView: v, Codes: []FindingCode{}, Exemplars: []Exemplar{}}
	err = s.conn(ctx).Table("codes").Select("codes.id, code_versions.name, code_versions.colour").
		Joins("JOIN code_versions ON code_versions.code_id = codes.id AND code_versions.version = codes.current_version").
		Joins("JOIN research_finding_codes ON research_finding_codes.code_id = codes.id").
		Where("codes.organization_id = ? AND research_finding_codes.finding_id = ?", orgID, id).
		Order("codes.position, codes.id").Scan(&out.Codes).Error
	if err != nil {
		return FindingDetail{}, translate(err, "finding codes")
	}
	err = s.quotable(ctx, orgID).
		Select("research_excerpts.id, research_excerpts.site_id, research_excerpts.day, feedback_texts.body AS text").
		Joins("JOIN research_finding_excerpts ON research_finding_excerpts.excerpt_id = research_excerpts.id").
		Where("research_finding_excerpts.finding_id = ?", id).
		Order("research_excerpts.day, research_excerpts.id").Scan(&out.Exemplars).Error
	if err != nil {
		return FindingDetail{}, translate(err, "exemplars")
	}
	return out, nil
}

// FindingCodeCounts lists the readable excerpts holding any of a
// finding's codes, with their site, day and which codes (bit j for its
// CodeIDs[j]); see CodedExcerpts. These are exact; publish them through
// report.FindingFrequencies.
func (s *Store) FindingCodeCounts(ctx context.Context, orgID string, f FindingView) ([]models.CodedExcerpt, error) {
	return s.CodedExcerpts(ctx, orgID, f.CodeIDs)
}
