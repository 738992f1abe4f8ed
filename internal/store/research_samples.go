package store

import (
	"context"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/chorus-hr/chorus/models"
)

// SampleView is an overlap sample with its coders and progress.
type SampleView struct {
	models.ResearchSample
	Coders    []Coder `json:"coders"`
	Excerpts  int     `json:"excerpts"`
	Submitted int     `json:"submitted"`
}

// DrawSample draws an overlap sample for blind double coding: share
// percent of each site's excerpts (at least one from a site that has any),
// chosen by a shuffle seeded from seed and the site, so the same seed over
// the same excerpts draws the same sample. Excerpts already in a sample are
// left out. Every coder named is assigned every drawn excerpt.
func (a Actor) DrawSample(ctx context.Context, orgID string, share int, seed int64, coderIDs []string) (SampleView, error) {
	var out SampleView
	slices.Sort(coderIDs)
	coderIDs = slices.Compact(coderIDs)
	switch {
	case share < 1 || share > 100:
		return out, invalid("share_percent", "must be 1 to 100")
	case len(coderIDs) < 2:
		return out, invalid("coder_ids", "must name two coders or more")
	}
	err := a.s.InTx(ctx, func(ctx context.Context) error {
		for _, id := range coderIDs {
			if ok, err := a.s.IsCoder(ctx, orgID, id); err != nil || !ok {
				return firstErr(err, invalid("coder_ids", "must all be coders"))
			}
		}
		if err := a.s.SyncExcerpts(ctx, orgID); err != nil {
			return err
		}
		var pool []struct{ ID, SiteID string }
		err := a.s.excerpts(ctx, orgID, "").Select("research_excerpts.id, research_excerpts.site_id").
			Where("NOT EXISTS (SELECT 1 FROM research_assignments s WHERE s.excerpt_id = research_excerpts.id AND (s.sample_id IS NOT NULL OR s.coder_id IN ?))", coderIDs).
			Order("research_excerpts.id").Scan(&pool).Error
		if err != nil {
			return translate(err, "sample pool")
		}
		bySite := map[string][]string{}
		var sites []string
		for _, e := range pool {
			if _, ok := bySite[e.SiteID]; !ok {
				sites = append(sites, e.SiteID)
			}
			bySite[e.SiteID] = append(bySite[e.SiteID], e.ID)
		}
		slices.Sort(sites)
		sample := models.ResearchSample{ID: models.NewID(), OrganizationID: orgID, SharePercent: share, Seed: seed,
			CreatedBy: a.userPtr(), CreatedAt: a.s.now()}
		if err := a.s.conn(ctx).Create(&sample).Error; err != nil {
			return translate(err, "create sample")
		}
		var rows []models.ResearchAssignment
		for _, site := range sites {
			for _, id := range drawShare(bySite[site], share, seed, site) {
				for _, coder := range coderIDs {
					rows = append(rows, models.ResearchAssignment{OrganizationID: orgID, ExcerptID: id, CoderID: coder, SampleID: &sample.ID})
				}
			}
		}
		if len(rows) > 0 {
			if err := a.s.conn(ctx).CreateInBatches(rows, 300).Error; err != nil {
				return translate(err, "assign sample")
			}
		}
		var err2 error
		if out, err2 = a.s.Sample(ctx, orgID, sample.ID); err2 != nil {
			return err2
		}
		return a.record(ctx, orgID, AuditSampleDrawn, "sample", sample.ID,
			models.Bands{"share": strconv.Itoa(share), "excerpts": strconv.Itoa(out.Excerpts), "coders": strconv.Itoa(len(coderIDs))})
	})
	return out, err
}

// drawShare shuffles ids (sorted) with a generator seeded by seed and site
// and keeps the first share percent, rounded up.
func drawShare(ids []string, share int, seed int64, site string) []string {
	h := fnv.New64a()
	h.Write([]byte(site))
	rng := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	shuffled := slices.Clone(ids)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	n := (len(ids)*share + 99) / 100
	return shuffled[:n]
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// Samples lists the organization's overlap samples, newest first.
func (s *Store) Samples(ctx context.Context, orgID string) ([]SampleView, error) {
	var ids []string
	err := s.conn(ctx).Model(&models.ResearchSample{}).Where("organization_id = ?", orgID).
		Order("created_at DESC, id").Pluck("id", &ids).Error
	if err != nil {
		return nil, translate(err, "samples")
	}
	out := make([]SampleView, 0, len(ids))
	for _, id := range ids {
		v, err := s.Sample(ctx, orgID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Sample returns one overlap sample.
func (s *Store) Sample(ctx context.Context, orgID, id string) (SampleView, error) {
	var out SampleView
	if !models.IsID(id) {
		return out, translate(errNotFound, "sample")
	}
	if err := s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).First(&out.ResearchSample).Error; err != nil {
		return out, translate(err, "sample")
	}
	var counts struct{ Excerpts, Submitted int }
	err := s.conn(ctx).Table("research_assignments").
		Select("COUNT(DISTINCT excerpt_id) AS excerpts, COUNT(submitted_at) AS submitted").
		Where("sample_id = ?", id).Scan(&counts).Error
	if err != nil {
		return out, translate(err, "sample counts")
	}
	out.Excerpts, out.Submitted = counts.Excerpts, counts.Submitted
	out.Coders = []Coder{}
	err = s.conn(ctx).Table("users").Select("DISTINCT users.id, users.email, users.display_name").
		Joins("JOIN research_assignments ON research_assignments.coder_id = users.id").
		Where("research_assignments.sample_id = ?", id).Order("users.email").Scan(&out.Coders).Error
	return out, translate(err, "sample coders")
}

var timeUTC = time.UTC

func strconvBool(b bool) string { return strconv.FormatBool(b) }

func strconvItoa(n int) string { return strconv.Itoa(n) }
