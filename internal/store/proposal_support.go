package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/models"
)

// ErrNotOpen means a proposal is not taking support now.
var ErrNotOpen = errors.New("this proposal is not open for support")

// SupportAnswers are the answers to "Do you support this?", in order.
var SupportAnswers = []string{models.AnswerAgree, models.AnswerDisagree, models.AnswerUnsure}

// KioskProposals lists up to limit open proposals for a kiosk's site
// (those naming it, or naming no site), most recently opened first.
func (s *Store) KioskProposals(ctx context.Context, ka KioskAuth, limit int) ([]models.Proposal, error) {
	var out []models.Proposal
	err := s.conn(ctx).Where("organization_id = ? AND status = ?", ka.Kiosk.OrganizationID, models.StatusOpen).
		Where(concernsSite, ka.Site.ID).Order("updated_at DESC, id").Limit(limit).Find(&out).Error
	return out, translate(err, "open proposals")
}

// Support stores a kiosk's answer exactly once per idempotency key, like a
// submission: the same key and request hash replay, another hash is
// ErrIdempotencyMismatch.
func (s *Store) Support(ctx context.Context, ka KioskAuth, key string, requestHash []byte, proposalID, answer string) (Submitted, error) {
	keyHash := sha256.Sum256([]byte(key))
	if prior, found, err := s.priorSupport(ctx, ka.Kiosk.ID, keyHash[:]); err != nil || found {
		if err != nil {
			return Submitted{}, err
		}
		return replay(prior, requestHash)
	}
	if !models.IsID(proposalID) {
		return Submitted{}, invalid("proposal_id", "is not a proposal of this program")
	}
	var p models.Proposal
	err := s.conn(ctx).Where("organization_id = ? AND id = ?", ka.Kiosk.OrganizationID, proposalID).Where(concernsSite, ka.Site.ID).
		Limit(1).Find(&p).Error
	if err != nil {
		return Submitted{}, translate(err, "proposal")
	}
	if p.ID == "" {
		return Submitted{}, invalid("proposal_id", "is not a proposal of this program for this site")
	}
	if p.Status != models.StatusOpen {
		return Submitted{}, ErrNotOpen
	}
	loc, err := loadZone(ka.Site.TimeZone)
	if err != nil {
		return Submitted{}, fmt.Errorf("site %s time zone: %w", ka.Site.ID, err)
	}
	row := models.ProposalSupport{ID: models.NewID(), OrganizationID: ka.Kiosk.OrganizationID, ProposalID: p.ID,
		SiteID: ka.Site.ID, KioskID: &ka.Kiosk.ID, Day: models.DayOf(s.now(), loc), Answer: answer,
		IdempotencyKey: keyHash[:], RequestHash: requestHash}
	err = s.conn(ctx).Create(&row).Error
	if err = translate(err, "store support"); errors.Is(err, ErrConflict) {
		// The same key committed between the look-up and the insert.
		prior, found, lookErr := s.priorSupport(ctx, ka.Kiosk.ID, keyHash[:])
		if lookErr != nil || !found {
			return Submitted{}, err
		}
		return replay(prior, requestHash)
	}
	return Submitted{ID: row.ID, Day: row.Day}, err
}

func (s *Store) priorSupport(ctx context.Context, kioskID string, keyHash []byte) (models.Submission, bool, error) {
	var prior []models.ProposalSupport
	err := s.conn(ctx).Select("id", "day", "request_hash").Where("kiosk_id = ? AND idempotency_key = ?", kioskID, keyHash).
		Limit(1).Find(&prior).Error
	if err != nil || len(prior) == 0 {
		return models.Submission{}, false, translate(err, "find support")
	}
	return models.Submission{ID: prior[0].ID, Day: prior[0].Day, RequestHash: prior[0].RequestHash}, true, nil
}

// SiteSupport is a proposal's support at one site, by source; counts are
// exact (staff only: the API suppresses them for everyone else).
type SiteSupport struct {
	SiteID string
	Name   string
	// Kiosk, Live and Hand count answers by agree, disagree, unsure.
	Kiosk, Live, Hand map[string]int
}

// Combined is every source's count of one answer.
func (s SiteSupport) Combined(answer string) int {
	return s.Kiosk[answer] + s.Live[answer] + s.Hand[answer]
}

// ProposalSupport counts the answers a proposal got: kiosk answers (one
// per idempotency key) and the agree rounds of live sessions tied to it
// once they are closed (each participant's latest vote, and the
// facilitator's hand counts), per site, sites in name order.
func (s *Store) ProposalSupport(ctx context.Context, orgID, id string) ([]SiteSupport, error) {
	if _, err := s.proposal(ctx, orgID, id); err != nil {
		return nil, err
	}
	support, err := s.SupportOf(ctx, orgID, []string{id})
	if err != nil {
		return nil, err
	}
	return support[id], nil
}

// SupportOf is ProposalSupport for a list of the organization's proposals,
// by proposal id, in at most three queries however long the list: kiosk
// answers, live rounds, and the site names. Every id has an
// entry, empty when nobody answered.
func (s *Store) SupportOf(ctx context.Context, orgID string, ids []string) (map[string][]SiteSupport, error) {
	out := make(map[string][]SiteSupport, len(ids))
	for _, id := range ids {
		out[id] = []SiteSupport{}
	}
	if len(ids) == 0 {
		return out, nil
	}
	bySite := map[string]map[string]*SiteSupport{} // proposal → site → support
	at := func(proposalID, siteID string) *SiteSupport {
		if bySite[proposalID] == nil {
			bySite[proposalID] = map[string]*SiteSupport{}
		}
		if bySite[proposalID][siteID] == nil {
			bySite[proposalID][siteID] = &SiteSupport{SiteID: siteID, Kiosk: map[string]int{}, Live: map[string]int{}, Hand: map[string]int{}}
		}
		return bySite[proposalID][siteID]
	}
	var kiosk []struct {
		ProposalID, SiteID, Answer string
		N                          int
	}
	err := s.conn(ctx).Model(&models.ProposalSupport{}).Select("proposal_id, site_id, answer, COUNT(*) AS n").
		Where("organization_id = ? AND proposal_id IN ?", orgID, ids).Group("proposal_id, site_id, answer").Scan(&kiosk).Error
	if err != nil {
		return nil, translate(err, "kiosk support")
	}
	for _, k := range kiosk {
		at(k.ProposalID, k.SiteID).Kiosk[k.Answer] += k.N
	}
	var rounds []struct {
		models.LiveRound
		SiteID string
	}
	err = s.conn(ctx).Model(&models.LiveRound{}).Select("live_rounds.*, live_sessions.site_id").
		Joins("JOIN live_sessions ON live_sessions.id = live_rounds.session_id").
		Where("live_sessions.organization_id = ? AND live_rounds.proposal_id IN ? AND live_rounds.kind = ? AND live_rounds.state IN ?",
			orgID, ids, tally.Agree, []string{"closed", "revealed"}).Scan(&rounds).Error
	if err != nil {
		return nil, translate(err, "live support")
	}
	for _, r := range rounds {
		if r.ProposalID == nil {
			continue
		}
		t, err := RoundTally(r.LiveRound)
		if err != nil {
			return nil, fmt.Errorf("round %s tally: %w", r.ID, err)
		}
		site := at(*r.ProposalID, r.SiteID)
		for _, a := range SupportAnswers {
			site.Live[a] += t.Votes[a]
			site.Hand[a] += t.Hand[a]
		}
	}
	if len(bySite) == 0 {
		return out, nil
	}
	sites, err := s.Sites(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for proposalID, supports := range bySite {
		for _, site := range sites {
			if sup, ok := supports[site.ID]; ok {
				sup.Name = site.Name
				out[proposalID] = append(out[proposalID], *sup)
			}
		}
	}
	return out, nil
}
