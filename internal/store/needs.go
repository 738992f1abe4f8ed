package store

import (
	"context"

	"github.com/chorus-hr/chorus/models"
)

// PriorityPoints is what a need earns by its place in a participant's
// top three: first 3 points, second 2, third 1.
func PriorityPoints(place int) int {
	if place < 0 || place > 2 {
		return 0
	}
	return 3 - place
}

// NeedCount is how often a need was chosen at one site over a period, and
// the priority points it earned there.
type NeedCount struct {
	SiteID string `json:"site_id"`
	Code   string `json:"code"`
	Chosen int    `json:"chosen"`
	Points int    `json:"points"`
}

// NeedSummary counts, per site, how many submissions of [from, to] chose
// each need and the points it earned among priorities. These are exact
// counts for staff, who promote needs to proposals from them.
func (s *Store) NeedSummary(ctx context.Context, orgID, siteID string, from, to models.Day) (total int, counts []NeedCount, err error) {
	q := s.conn(ctx).Model(&models.Submission{}).Select("site_id", "needs", "priorities").
		Where("organization_id = ? AND day >= ? AND day <= ?", orgID, from, to)
	if siteID != "" {
		q = q.Where("site_id = ?", siteID)
	}
	var subs []models.Submission
	if err := q.Find(&subs).Error; err != nil {
		return 0, nil, translate(err, "need summary")
	}
	type key struct{ site, code string }
	index := map[key]int{}
	counts = []NeedCount{}
	at := func(site, code string) *NeedCount {
		i, ok := index[key{site, code}]
		if !ok {
			i = len(counts)
			index[key{site, code}] = i
			counts = append(counts, NeedCount{SiteID: site, Code: code})
		}
		return &counts[i]
	}
	for _, sub := range subs {
		for _, n := range sub.Needs {
			at(sub.SiteID, n).Chosen++
		}
		for place, n := range sub.Priorities {
			at(sub.SiteID, n).Points += PriorityPoints(place)
		}
	}
	return len(subs), counts, nil
}
