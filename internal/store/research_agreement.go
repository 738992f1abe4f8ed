package store

import (
	"context"
	"errors"
	"slices"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/research/agreement"
	"github.com/chorus-hr/chorus/models"
)

// Statistic is one agreement figure; Value is nil when it is undefined
// (Reason says why: "too_few_values" or "no_variation").
type Statistic struct {
	Value  *float64 `json:"value"`
	Reason string   `json:"reason,omitempty"`
}

// PairKappa is Cohen's kappa for two coders.
type PairKappa struct {
	A     string    `json:"a"`
	B     string    `json:"b"`
	Units int       `json:"units"`
	Kappa Statistic `json:"kappa"`
}

// CodeAgreement is the agreement on one code, or overall (Code empty).
type CodeAgreement struct {
	CodeID        string      `json:"code_id,omitempty"`
	Name          models.Text `json:"name,omitempty"`
	Percent       Statistic   `json:"percent"`
	Alpha         Statistic   `json:"alpha"`
	Pairs         []PairKappa `json:"pairs"`
	Disagreements int         `json:"disagreements"`
}

// Disagreement is an excerpt on which the coders who submitted differ about
// one code, with each coder's answer and the agreed coding if there is one.
type Disagreement struct {
	ExcerptID string `json:"excerpt_id"`
	CodeID    string `json:"code_id"`
	// Text is the excerpt's text, so the reconciliation view shows what
	// the coders read side by side with their answers.
	Text     string          `json:"text"`
	Present  map[string]bool `json:"present"` // coder id → applied the code
	Agreed   *bool           `json:"agreed"`
	AgreedBy *string         `json:"agreed_by"`
	AgreedOn *models.Day     `json:"agreed_on"`
}

// AgreementTable is a sample's agreement per code and overall.
//
// How it is computed: the unit is the excerpt, for each code separately;
// a coder's value is 1 if they applied any version of the code anywhere in
// the excerpt (whole text or a span) and 0 if not, and missing until they
// submit the excerpt. Overall pools every (excerpt, code) unit of the codes
// anyone applied in the sample.
type AgreementTable struct {
	Sample  SampleView      `json:"sample"`
	Overall CodeAgreement   `json:"overall"`
	Codes   []CodeAgreement `json:"codes"`
	// Disagreements lists the first MaxDisagreementsShown of them.
	Disagreements      []Disagreement `json:"disagreements"`
	DisagreementsTotal int            `json:"disagreements_total"`
}

func statistic(v float64, err error) Statistic {
	switch {
	case errors.Is(err, agreement.ErrTooFewValues):
		return Statistic{Reason: "too_few_values"}
	case errors.Is(err, agreement.ErrNoVariation):
		return Statistic{Reason: "no_variation"}
	case err != nil:
		return Statistic{Reason: "invalid"}
	}
	return Statistic{Value: &v}
}

// Agreement computes a sample's agreement table.
func (s *Store) Agreement(ctx context.Context, orgID, sampleID string) (AgreementTable, error) {
	sample, err := s.Sample(ctx, orgID, sampleID)
	if err != nil {
		return AgreementTable{}, err
	}
	// Tens of thousands of rows: read as plain rows, not through GORM's
	// reflection, which took most of the table's time.
	var assigned []assignedRow
	err = scanRows(s.conn(ctx).Table("research_assignments").
		Select("excerpt_id, coder_id, submitted_at IS NOT NULL").Where("sample_id = ?", sampleID).Order("excerpt_id"),
		func(scan func(...any) error) error {
			var a assignedRow
			err := scan(&a.ExcerptID, &a.CoderID, &a.Submitted)
			assigned = append(assigned, a)
			return err
		})
	if err != nil {
		return AgreementTable{}, translate(err, "sample assignments")
	}
	// Not DISTINCT: a code applied twice (two spans) sets the same cell
	// twice, and SQLite's DISTINCT sorted every row through a temporary
	// b-tree.
	var applied []appliedRow
	err = scanRows(s.conn(ctx).Table("codings").Select("codings.excerpt_id, codings.code_id, codings.coder_id").
		Joins("JOIN research_assignments a ON a.excerpt_id = codings.excerpt_id AND a.coder_id = codings.coder_id").
		Where("a.sample_id = ?", sampleID),
		func(scan func(...any) error) error {
			var a appliedRow
			err := scan(&a.ExcerptID, &a.CodeID, &a.CoderID)
			applied = append(applied, a)
			return err
		})
	if err != nil {
		return AgreementTable{}, translate(err, "sample codings")
	}
	var agreed []models.ResearchReconciliation
	err = s.conn(ctx).Where("organization_id = ? AND excerpt_id IN (SELECT excerpt_id FROM research_assignments WHERE sample_id = ?)", orgID, sampleID).
		Find(&agreed).Error
	if err != nil {
		return AgreementTable{}, translate(err, "reconciliations")
	}
	table, err := buildAgreement(sample, assigned, applied, agreed)
	if err != nil {
		return AgreementTable{}, err
	}
	if err := s.disagreementTexts(ctx, orgID, table.Disagreements); err != nil {
		return AgreementTable{}, err
	}
	ids := make([]string, len(table.Codes))
	for i, c := range table.Codes {
		ids[i] = c.CodeID
	}
	names, err := s.codeNames(ctx, ids)
	if err != nil {
		return AgreementTable{}, err
	}
	for i := range table.Codes {
		table.Codes[i].Name = names[table.Codes[i].CodeID]
	}
	return table, nil
}

// disagreementTexts fills in the excerpts' texts, in one query.
func (s *Store) disagreementTexts(ctx context.Context, orgID string, list []Disagreement) error {
	if len(list) == 0 {
		return nil
	}
	seen := map[string]bool{}
	ids := make([]string, 0, len(list))
	for _, d := range list {
		if !seen[d.ExcerptID] {
			seen[d.ExcerptID] = true
			ids = append(ids, d.ExcerptID)
		}
	}
	var rows []struct{ ID, Text string }
	err := s.excerpts(ctx, orgID, "").Select("research_excerpts.id, "+excerptBody+" AS text").
		Where("research_excerpts.id IN ?", ids).Scan(&rows).Error
	if err != nil {
		return translate(err, "disagreement texts")
	}
	texts := make(map[string]string, len(rows))
	for _, r := range rows {
		texts[r.ID] = r.Text
	}
	for i := range list {
		list[i].Text = texts[list[i].ExcerptID]
	}
	return nil
}

// codeNames are codes' current names, removed or not, in one query.
func (s *Store) codeNames(ctx context.Context, codeIDs []string) (map[string]models.Text, error) {
	out := map[string]models.Text{}
	if len(codeIDs) == 0 {
		return out, nil
	}
	var rows []models.CodeVersion
	err := s.conn(ctx).Joins("JOIN codes ON codes.id = code_versions.code_id AND codes.current_version = code_versions.version").
		Where("code_versions.code_id IN ?", codeIDs).Find(&rows).Error
	for _, r := range rows {
		out[r.CodeID] = r.Name
	}
	return out, translate(err, "code names")
}

// MaxDisagreementsShown caps the disagreements an agreement table lists;
// DisagreementsTotal counts them all.
const MaxDisagreementsShown = 500

type assignedRow struct {
	ExcerptID, CoderID string
	Submitted          bool
}

type appliedRow struct{ ExcerptID, CodeID, CoderID string }

// scanRows runs q and calls each for every row with the row's Scan.
func scanRows(q *gorm.DB, each func(scan func(...any) error) error) error {
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

func buildAgreement(sample SampleView, assigned []assignedRow, applied []appliedRow, agreed []models.ResearchReconciliation) (AgreementTable, error) {
	coders := make([]string, len(sample.Coders))
	coderIndex := make(map[string]int, len(sample.Coders))
	for i, c := range sample.Coders {
		coders[i] = c.ID
		coderIndex[c.ID] = i
	}
	var excerpts []string
	excerptIndex := map[string]int{}
	for _, a := range assigned {
		if _, ok := excerptIndex[a.ExcerptID]; !ok {
			excerptIndex[a.ExcerptID] = len(excerpts)
			excerpts = append(excerpts, a.ExcerptID)
		}
	}
	// base[c][u]: 0 once coder c submitted excerpt u, Missing before.
	base := make(agreement.Ratings, len(coders))
	for c := range base {
		base[c] = make([]int, len(excerpts))
		for u := range base[c] {
			base[c][u] = agreement.Missing
		}
	}
	for _, a := range assigned {
		if c, ok := coderIndex[a.CoderID]; ok && a.Submitted {
			base[c][excerptIndex[a.ExcerptID]] = 0
		}
	}
	// present[code] lists the (coder, excerpt) cells where it was applied.
	type cell struct{ c, u int }
	present := map[string][]cell{}
	for _, a := range applied {
		c, ok := coderIndex[a.CoderID]
		u, known := excerptIndex[a.ExcerptID]
		if ok && known {
			present[a.CodeID] = append(present[a.CodeID], cell{c, u})
		}
	}
	codes := make([]string, 0, len(present))
	for code := range present {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	type settledKey struct{ excerpt, code string }
	settled := map[settledKey]models.ResearchReconciliation{}
	for _, r := range agreed {
		settled[settledKey{r.ExcerptID, r.CodeID}] = r
	}
	table := AgreementTable{Sample: sample, Codes: []CodeAgreement{}, Disagreements: []Disagreement{}}
	// Every code's tally adds up to the pooled one: no copy of 200 codes ×
	// 10,000 excerpts × 3 coders is built for "all codes".
	var pooled agreement.Tally
	for _, code := range codes {
		r := make(agreement.Ratings, len(coders))
		for c := range r {
			r[c] = slices.Clone(base[c])
		}
		for _, p := range present[code] {
			if r[p.c][p.u] == 0 {
				r[p.c][p.u] = 1
			}
		}
		tally, err := agreement.Count(r)
		if err != nil {
			return AgreementTable{}, err
		}
		if err := pooled.Add(tally); err != nil {
			return AgreementTable{}, err
		}
		row := rowAgreement(tally.Summary(), coders)
		row.CodeID = code
		for u, ex := range excerpts {
			if !disagree(r, u) {
				continue
			}
			row.Disagreements++
			table.DisagreementsTotal++
			if len(table.Disagreements) >= MaxDisagreementsShown {
				continue
			}
			d := Disagreement{ExcerptID: ex, CodeID: code, Present: map[string]bool{}}
			for c, coder := range coders {
				if v := r[c][u]; v != agreement.Missing {
					d.Present[coder] = v == 1
				}
			}
			if rec, ok := settled[settledKey{ex, code}]; ok {
				d.Agreed, d.AgreedBy, d.AgreedOn = &rec.Present, rec.AgreedBy, &rec.AgreedOn
			}
			table.Disagreements = append(table.Disagreements, d)
		}
		table.Codes = append(table.Codes, row)
	}
	table.Overall = rowAgreement(pooled.Summary(), coders)
	table.Overall.Disagreements = table.DisagreementsTotal
	return table, nil
}

// disagree reports whether the coders who submitted unit u differ.
func disagree(r agreement.Ratings, u int) bool {
	first := agreement.Missing
	for c := range r {
		v := r[c][u]
		if v == agreement.Missing {
			continue
		}
		if first == agreement.Missing {
			first = v
		} else if v != first {
			return true
		}
	}
	return false
}

func rowAgreement(sum agreement.Summary, coders []string) CodeAgreement {
	row := CodeAgreement{Pairs: []PairKappa{}}
	row.Percent, row.Alpha = statistic(sum.Percent, sum.PercentErr), statistic(sum.Alpha, sum.AlphaErr)
	for _, p := range sum.Pairs {
		row.Pairs = append(row.Pairs, PairKappa{A: coders[p.A], B: coders[p.B], Units: p.Units, Kappa: statistic(p.Kappa, p.Err)})
	}
	return row
}

// Reconcile records the agreed coding of an excerpt for one code: whether
// the code applies, who agreed it and the day. The coders' own codings are
// kept as they were.
func (a Actor) Reconcile(ctx context.Context, orgID, excerptID, codeID string, present bool) (models.ResearchReconciliation, error) {
	rec := models.ResearchReconciliation{OrganizationID: orgID, ExcerptID: excerptID, CodeID: codeID, Present: present,
		AgreedBy: a.userPtr(), AgreedOn: models.DayOf(a.s.now(), timeUTC)}
	err := a.s.InTx(ctx, func(ctx context.Context) error {
		if _, err := a.s.Excerpt(ctx, orgID, a.userID(), excerptID); err != nil {
			return err
		}
		var n int64
		if err := a.s.conn(ctx).Model(&models.Code{}).Where("organization_id = ? AND id = ?", orgID, codeID).Count(&n).Error; err != nil || n == 0 {
			return firstErr(translate(err, "code"), invalid("code_id", "must be a code of your codebook"))
		}
		db := a.s.conn(ctx)
		if err := db.Where("excerpt_id = ? AND code_id = ?", excerptID, codeID).Delete(&models.ResearchReconciliation{}).Error; err != nil {
			return translate(err, "reconcile")
		}
		if err := db.Create(&rec).Error; err != nil {
			return translate(err, "reconcile")
		}
		return a.record(ctx, orgID, AuditReconciled, "excerpt", excerptID, models.Bands{"code": codeID, "present": strconvBool(present)})
	})
	return rec, err
}
