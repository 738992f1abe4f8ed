package store

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"gorm.io/gorm/clause"

	"github.com/chorus-hr/chorus/models"
)

// maxPromptRunes is the longest prompt a round may have.
const maxPromptRunes = 500

// memberCheckPrompt is the prompt of a round that asks the room about a
// finding: its statement in the session's language. The question itself
// ("Did we get this right?") is the participant page's own words.
func (s *Store) memberCheckPrompt(ctx context.Context, orgID, findingID, language string) (string, error) {
	var f models.ResearchFinding
	if models.IsID(findingID) {
		err := s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, findingID).Limit(1).Find(&f).Error
		if err != nil {
			return "", translate(err, "finding")
		}
	}
	if f.ID == "" {
		return "", invalid("finding_id", "is not a finding of this organization")
	}
	prompt := f.StatementEN
	if language == "es" {
		prompt = f.StatementES
	}
	if utf8.RuneCountInString(prompt) > maxPromptRunes {
		return "", invalid("finding_id", fmt.Sprintf("has a statement longer than %d characters, too long to put to a room", maxPromptRunes))
	}
	return prompt, nil
}

// recordRoundCheck keeps a member-check round's answers (votes and hand
// counts) against its finding, at the session's site on today's date
// there. A round is recorded once: recording it again (a second reveal,
// the session's end after a reveal) changes nothing. A round nobody
// answered records nothing.
func (s *Store) recordRoundCheck(ctx context.Context, r models.LiveRound) error {
	if r.FindingID == nil {
		return nil
	}
	t, err := RoundTally(r)
	if err != nil {
		return err
	}
	spec := RoundSpec(r)
	if t.People(spec) == 0 {
		return nil
	}
	sess, err := s.LiveSessionByID(ctx, r.SessionID)
	if err != nil {
		return err
	}
	day, err := s.siteDay(ctx, sess.OrganizationID, sess.SiteID)
	if err != nil {
		return err
	}
	counts := t.Counts(spec)
	row := models.ResearchFindingCheck{ID: models.NewID(), OrganizationID: sess.OrganizationID, FindingID: *r.FindingID,
		SiteID: sess.SiteID, Day: day, Source: models.CheckLive, RoundID: &r.ID,
		Agree: counts["agree"], Disagree: counts["disagree"], Unsure: counts["unsure"]}
	res := s.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "round_id"}}, DoNothing: true}).Create(&row)
	if err := translate(res.Error, "record member check"); err != nil || res.RowsAffected == 0 {
		return err
	}
	return s.flagIfDisagreed(ctx, sess.OrganizationID, row.FindingID, row.SiteID)
}

// siteDay is today's date at a site, in its time zone.
func (s *Store) siteDay(ctx context.Context, orgID, siteID string) (models.Day, error) {
	site, err := s.Site(ctx, orgID, siteID)
	if err != nil {
		return models.Day{}, err
	}
	loc, err := time.LoadLocation(site.TimeZone)
	if err != nil {
		return models.Day{}, fmt.Errorf("site %s time zone: %w", site.ID, err)
	}
	return models.DayOf(s.now(), loc), nil
}

// flagIfDisagreed flags a finding for another look when the community at a
// site disagrees with it: more "disagree" than "agree" among at least the
// organization's smallest publishable count of answers (min_cell) there,
// live and kiosk together. A flag is never lifted here: staff lift it.
func (s *Store) flagIfDisagreed(ctx context.Context, orgID, findingID, siteID string) error {
	var sum struct{ Agree, Disagree, Unsure int }
	err := s.conn(ctx).Model(&models.ResearchFindingCheck{}).
		Select("COALESCE(SUM(agree), 0) AS agree, COALESCE(SUM(disagree), 0) AS disagree, COALESCE(SUM(unsure), 0) AS unsure").
		Where("finding_id = ? AND site_id = ?", findingID, siteID).Scan(&sum).Error
	if err != nil {
		return translate(err, "member check totals")
	}
	org, err := s.Organization(ctx, orgID)
	if err != nil {
		return err
	}
	if !CommunityDisagrees(sum.Agree, sum.Disagree, sum.Unsure, org.MinCell) {
		return nil
	}
	err = s.conn(ctx).Model(&models.ResearchFinding{}).Where("id = ?", findingID).UpdateColumn("flagged", true).Error
	return translate(err, "flag finding")
}

// CommunityDisagrees is the rule that flags a finding: at one site, more
// people disagreed than agreed, among at least minCell answers.
func CommunityDisagrees(agree, disagree, unsure, minCell int) bool {
	return agree+disagree+unsure >= minCell && disagree > agree
}

// FindingChecks adds up a finding's member-check answers by site:
// counts[siteID] = {agree, disagree, unsure}. These are exact; publish them
// through report.FindingChecks.
func (s *Store) FindingChecks(ctx context.Context, orgID, findingID string) (map[string][]int, error) {
	var rows []struct {
		SiteID                  string
		Agree, Disagree, Unsure int
	}
	err := s.conn(ctx).Model(&models.ResearchFindingCheck{}).
		Select("site_id, SUM(agree) AS agree, SUM(disagree) AS disagree, SUM(unsure) AS unsure").
		Where("organization_id = ? AND finding_id = ?", orgID, findingID).
		Group("site_id").Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "member checks")
	}
	out := make(map[string][]int, len(rows))
	for _, r := range rows {
		out[r.SiteID] = []int{r.Agree, r.Disagree, r.Unsure}
	}
	return out, nil
}
