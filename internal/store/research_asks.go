package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/models"
)

// Audit actions of member checking at the kiosks.
const (
	AuditFindingAsked   = "research.finding_asked"
	AuditFindingAskDone = "research.finding_ask_stopped"
)

// Member-check answers.
const (
	AnswerAgree    = "agree"
	AnswerDisagree = "disagree"
	AnswerUnsure   = "unsure"
)

// maxAskDays is the longest period a finding may be put to the kiosks.
const maxAskDays = 366

// AskInput puts a finding to the kiosks of the sites named (none: every
// site) from Start to End, both included.
type AskInput struct {
	SiteIDs    []string
	Start, End models.Day
}

// KioskQuestion is the finding a kiosk asks about after a participant's
// own feedback, in both languages, with the period it is asked.
type KioskQuestion struct {
	FindingID   string     `json:"finding_id"`
	StatementEN string     `json:"statement_en"`
	StatementES string     `json:"statement_es"`
	StartDay    models.Day `json:"start_day"`
	EndDay      models.Day `json:"end_day"`
}

// MemberCheckAnswer is a participant's answer to a kiosk's member-check
// question: agree, disagree or unsure.
type MemberCheckAnswer struct {
	FindingID string
	Answer    string
}

// AskAtKiosks puts a finding to the kiosks of the sites in (every site
// when none is named) for a period; one row per site, or one for all.
func (a Actor) AskAtKiosks(ctx context.Context, orgID, findingID string, in AskInput) ([]models.ResearchFindingAsk, error) {
	switch {
	case in.Start.IsZero():
		return nil, invalid("start_day", "is required")
	case in.End.IsZero():
		return nil, invalid("end_day", "is required")
	case in.End.Time().Before(in.Start.Time()):
		return nil, invalid("end_day", "must be on or after start_day")
	case in.End.Time().Sub(in.Start.Time()) > maxAskDays*24*time.Hour:
		return nil, invalid("end_day", fmt.Sprintf("must be at most %d days after start_day", maxAskDays))
	}
	siteIDs, err := uniqueIDs("site_ids", in.SiteIDs, 100)
	if err != nil {
		return nil, err
	}
	var out []models.ResearchFindingAsk
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		if _, err := a.s.findingView(ctx, orgID, findingID); err != nil {
			return err
		}
		for i, id := range siteIDs {
			if _, err := a.s.Site(ctx, orgID, id); err != nil {
				return invalid(fmt.Sprintf("site_ids[%d]", i), "is not a site of this organization")
			}
		}
		base := models.ResearchFindingAsk{OrganizationID: orgID, FindingID: findingID, StartDay: in.Start, EndDay: in.End,
			CreatedBy: a.userPtr(), CreatedOn: models.DayOf(a.s.now(), time.UTC)}
		if len(siteIDs) == 0 {
			siteIDs = []string{""}
		}
		for _, id := range siteIDs {
			row := base
			row.ID = models.NewID()
			if id != "" {
				row.SiteID = &id
			}
			out = append(out, row)
		}
		if err := a.s.conn(ctx).Create(&out).Error; err != nil {
			return translate(err, "ask at kiosks")
		}
		return a.record(ctx, orgID, AuditFindingAsked, "finding", findingID, models.Bands{"sites": strconv.Itoa(len(in.SiteIDs))})
	})
	return out, err
}

// StopAsking ends a finding's question at the kiosks (one period): the
// kiosks stop asking it at once. The period is kept, marked with the day,
// so an answer a tablet took before and sends later still counts.
func (a Actor) StopAsking(ctx context.Context, orgID, askID string) error {
	return a.s.InTx(ctx, func(ctx context.Context) error {
		if !models.IsID(askID) {
			return translate(errNotFound, "kiosk question")
		}
		res := a.s.conn(ctx).Model(&models.ResearchFindingAsk{}).
			Where("organization_id = ? AND id = ? AND stopped_on IS NULL", orgID, askID).
			Update("stopped_on", models.DayOf(a.s.now(), time.UTC))
		if err := translate(res.Error, "stop asking"); err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			return translate(errNotFound, "kiosk question")
		}
		return a.record(ctx, orgID, AuditFindingAskDone, "finding_ask", askID, nil)
	})
}

// FindingAsks lists the periods a finding is put to the kiosks.
func (s *Store) FindingAsks(ctx context.Context, orgID, findingID string) ([]models.ResearchFindingAsk, error) {
	out := []models.ResearchFindingAsk{}
	err := s.conn(ctx).Where("organization_id = ? AND finding_id = ?", orgID, findingID).Order("start_day, id").Find(&out).Error
	return out, translate(err, "kiosk questions")
}

// asksAt selects the asks of a site's kiosks (its own or every site's)
// that had begun by day.
func (s *Store) asksAt(ctx context.Context, orgID, siteID string, day models.Day) *gorm.DB {
	return s.conn(ctx).Model(&models.ResearchFindingAsk{}).
		Where("research_finding_asks.organization_id = ? AND (research_finding_asks.site_id = ? OR research_finding_asks.site_id IS NULL)", orgID, siteID).
		Where("research_finding_asks.start_day <= ?", day)
}

// KioskQuestion is the finding the kiosks of a site ask about today, or
// nil: of several, the one put to them last.
func (s *Store) KioskQuestion(ctx context.Context, site models.Site) (*KioskQuestion, error) {
	loc, err := loadZone(site.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("site %s time zone: %w", site.ID, err)
	}
	var rows []KioskQuestion
	today := models.DayOf(s.now(), loc)
	err = s.asksAt(ctx, site.OrganizationID, site.ID, today).
		Where("research_finding_asks.end_day >= ? AND research_finding_asks.stopped_on IS NULL", today).
		Select("research_findings.id AS finding_id, research_findings.statement_en, research_findings.statement_es, research_finding_asks.start_day, research_finding_asks.end_day").
		Joins("JOIN research_findings ON research_findings.id = research_finding_asks.finding_id").
		Order("research_finding_asks.created_on DESC, research_finding_asks.start_day DESC, research_finding_asks.id").
		Limit(1).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, translate(err, "kiosk question")
	}
	return &rows[0], nil
}

// checkMemberAnswer refuses an answer to a finding never asked at the
// source's kiosks, or asked only from a day after day. An answer that
// arrives after its period ended or was stopped is taken: a tablet may
// have held it offline for hours or days, and refusing it would refuse the
// person's whole feedback with it. It counts on the day it arrives, like
// the feedback it rides in.
func (s *Store) checkMemberAnswer(ctx context.Context, src Source, day models.Day, m *MemberCheckAnswer) error {
	if m == nil {
		return nil
	}
	switch {
	case src.Channel != models.ChannelKiosk:
		return invalid("member_check", "is asked only at kiosks")
	case m.Answer != AnswerAgree && m.Answer != AnswerDisagree && m.Answer != AnswerUnsure:
		return invalid("member_check.answer", "must be one of: agree, disagree, unsure")
	case !models.IsID(m.FindingID):
		return invalid("member_check.finding_id", "was not asked at this site")
	}
	var n int64
	err := s.asksAt(ctx, src.OrganizationID, src.Site.ID, day).Where("research_finding_asks.finding_id = ?", m.FindingID).Count(&n).Error
	if err != nil {
		return translate(err, "kiosk question")
	}
	if n == 0 {
		return invalid("member_check.finding_id", "was not asked at this site")
	}
	return nil
}

// insertMemberChecks adds the inserted submissions' member-check answers
// to the day's kiosk row of each finding and site, in the submissions'
// transaction, and flags a finding the site's community disagrees with.
func (s *Store) insertMemberChecks(ctx context.Context, rows []*pendingSubmission) error {
	type key struct{ finding, site string }
	flag := map[key]string{}
	for _, p := range rows {
		if p.check == nil || !p.inserted {
			continue
		}
		var a, d, u int
		switch p.check.Answer {
		case AnswerAgree:
			a = 1
		case AnswerDisagree:
			d = 1
		default:
			u = 1
		}
		err := s.conn(ctx).Exec(`INSERT INTO research_finding_checks (id, organization_id, finding_id, site_id, day, source, agree, disagree, unsure)
VALUES (?, ?, ?, ?, ?, 'kiosk', ?, ?, ?)
ON CONFLICT (finding_id, site_id, day) WHERE source = 'kiosk' DO UPDATE SET
  agree = research_finding_checks.agree + excluded.agree,
  disagree = research_finding_checks.disagree + excluded.disagree,
  unsure = research_finding_checks.unsure + excluded.unsure`,
			models.NewID(), p.sub.OrganizationID, p.check.FindingID, p.sub.SiteID, p.sub.Day, a, d, u).Error
		if err != nil {
			return translate(err, "store member check")
		}
		flag[key{p.check.FindingID, p.sub.SiteID}] = p.sub.OrganizationID
	}
	for k, orgID := range flag {
		if err := s.flagIfDisagreed(ctx, orgID, k.finding, k.site); err != nil {
			return err
		}
	}
	return nil
}

// withMemberCheck reports whether any row carries a member-check answer.
func withMemberCheck(rows []*pendingSubmission) bool {
	for _, p := range rows {
		if p.check != nil {
			return true
		}
	}
	return false
}
