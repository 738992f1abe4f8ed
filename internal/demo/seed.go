// Package demo seeds a demonstration organization so a newcomer sees a
// working Chorus in one command. Everything in it is invented.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/models"
)

// Slug names the demo organization; seeding is skipped when it exists.
const Slug = "demo"

// Password is every demo account's password. It is printed on start and
// must never be used outside the demo.
const Password = "chorus-demo-password"

// Accounts lists the demo sign-ins by role.
var Accounts = []struct {
	Email string
	Role  models.Role
}{
	{"admin@demo.chorus.test", models.RoleAdmin},
	{"staff@demo.chorus.test", models.RoleStaff},
	{"facilitator@demo.chorus.test", models.RoleFacilitator},
	{"policymaker@demo.chorus.test", models.RolePolicymaker},
}

// ErrRealData means the database already holds organizations, so the demo
// (whose sign-ins are public) refuses to seed it.
var ErrRealData = errors.New("this database already holds real organizations; run the demo on a database of its own")

// Result tells what Seed found or made.
type Result struct {
	Created      bool // false when the demo organization already existed
	Organization models.Organization
	Sites        []models.Site
}

// Seed creates the demo organization with an urban fixed site and a rural
// mobile site, a kiosk, staff accounts, proposals and sample anonymous
// feedback. Running it again changes nothing, except that the demo's
// sign-ins are made to work as printed again (restoreSignIns).
func Seed(ctx context.Context, db *database.DB, now time.Time) (Result, error) {
	var res Result
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("slug = ?", Slug).First(&res.Organization).Error
		if err == nil {
			if err := restoreSignIns(tx, now); err != nil {
				return err
			}
			return tx.Where("organization_id = ?", res.Organization.ID).Order("name").Find(&res.Sites).Error
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		// The demo's accounts share a published password: never add them
		// to a database that holds a real program.
		var others int64
		if err := tx.Model(&models.Organization{}).Count(&others).Error; err != nil {
			return err
		}
		if others > 0 {
			return ErrRealData
		}
		res.Created = true
		if err := seed(tx, &res, now); err != nil {
			return err
		}
		return seedResearch(tx, db.Dialect, &res, now)
	})
	if err != nil {
		return Result{}, fmt.Errorf("seed demo: %w", err)
	}
	return res, nil
}

func seed(tx *gorm.DB, res *Result, now time.Time) error {
	org := models.Organization{ID: models.NewID(), Name: "Chorus Demo Program", Slug: Slug, MinCell: 11, MinVoters: 5}
	if err := tx.Create(&org).Error; err != nil {
		return err
	}
	res.Organization = org
	urban := models.Site{ID: models.NewID(), OrganizationID: org.ID, Name: "Lower East Side storefront",
		Kind: models.SiteFixed, Setting: models.SiteUrban, TimeZone: "America/New_York"}
	rural := models.Site{ID: models.NewID(), OrganizationID: org.ID, Name: "Southern Illinois van",
		Kind: models.SiteMobile, Setting: models.SiteRural, TimeZone: "America/Chicago"}
	res.Sites = []models.Site{urban, rural}
	if err := tx.Create(&res.Sites).Error; err != nil {
		return err
	}
	kiosks := []models.Kiosk{
		{ID: models.NewID(), OrganizationID: org.ID, SiteID: urban.ID, Name: "Front desk tablet"},
		{ID: models.NewID(), OrganizationID: org.ID, SiteID: rural.ID, Name: "Van tablet"},
	}
	if err := tx.Create(&kiosks).Error; err != nil {
		return err
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return err
	}
	for _, a := range Accounts {
		// A set password, not a one-time one: the printed sign-ins work
		// without a forced change, which would leave the print stale.
		u := models.User{ID: models.NewID(), Email: a.Email, DisplayName: string(a.Role), PasswordHash: hash, Language: "en", PasswordChangedAt: &now}
		if err := tx.Create(&u).Error; err != nil {
			return err
		}
		if err := tx.Create(&models.Membership{UserID: u.ID, OrganizationID: org.ID, Role: a.Role}).Error; err != nil {
			return err
		}
	}
	if err := tx.Create(catalog.Categories(org.ID)).Error; err != nil {
		return err
	}
	if err := seedProposals(tx, org.ID, res.Sites, now); err != nil {
		return err
	}
	return seedFeedback(tx, org.ID, res.Sites, kiosks, now)
}

// restoreSignIns gives each demo account the published password again, as
// one that needs no change: a demo seeded by an older version held
// one-time passwords, and a visitor may have changed one since.
func restoreSignIns(tx *gorm.DB, now time.Time) error {
	var hash string
	for _, a := range Accounts {
		var u models.User
		if err := tx.Where("email = ?", a.Email).First(&u).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			continue
		} else if err != nil {
			return err
		}
		if u.PasswordChangedAt != nil && auth.CheckPassword(Password, u.PasswordHash) {
			continue
		}
		if hash == "" {
			var err error
			if hash, err = auth.HashPassword(Password); err != nil {
				return err
			}
		}
		if err := tx.Model(&u).Updates(map[string]any{"password_hash": hash, "password_changed_at": now, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("restore %s: %w", a.Email, err)
		}
	}
	return nil
}

func seedProposals(tx *gorm.DB, orgID string, sites []models.Site, now time.Time) error {
	today := models.DayOf(now, time.UTC)
	type update struct {
		status string
		body   models.Text
		ago    int
	}
	proposals := []struct {
		p       models.Proposal
		sites   []models.Site
		updates []update
	}{
		{
			p: models.Proposal{Title: models.Text{"en": "Evening hours for the van", "es": "Horario de noche para la camioneta"},
				Description: models.Text{"en": "Keep the van open until 9 pm two nights a week.", "es": "Mantener la camioneta abierta hasta las 9 pm dos noches por semana."},
				Origin:      models.OriginParticipants, Status: models.StatusOpen, Needs: models.Codes{"treatment", "sterile_supplies"}},
			sites:   sites[1:],
			updates: []update{{models.StatusOpen, models.Text{"en": "People asked for this at the van. Tell us if you agree.", "es": "La gente pidió esto en la camioneta. Díganos si está de acuerdo."}, 12}},
		},
		{
			p: models.Proposal{Title: models.Text{"en": "A naloxone box by the storefront door", "es": "Una caja de naloxona junto a la puerta"},
				Description: models.Text{"en": "Free naloxone, any hour, no questions asked.", "es": "Naloxona gratis, a cualquier hora, sin preguntas."},
				Origin:      models.OriginParticipants, Status: models.StatusAccepted, Needs: models.Codes{"naloxone"}},
			sites: sites[:1],
			updates: []update{
				{models.StatusOpen, models.Text{"en": "Many of you asked for naloxone after hours.", "es": "Muchas personas pidieron naloxona fuera de horario."}, 40},
				{models.StatusAccepted, models.Text{"en": "Yes. The box goes up next month.", "es": "Sí. La caja se instala el próximo mes."}, 6},
			},
		},
		{
			p: models.Proposal{Title: models.Text{"en": "A peer navigator for housing", "es": "Una persona par que ayude con la vivienda"},
				Description: models.Text{"en": "Hire a peer to help people apply for housing.", "es": "Contratar a una persona par para ayudar con solicitudes de vivienda."},
				Origin:      models.OriginPeerFacilitator, Status: models.StatusUnderReview, Needs: models.Codes{"housing", "peer_support"}},
			sites:   sites,
			updates: []update{{models.StatusUnderReview, models.Text{"en": "The board will decide this month.", "es": "La junta decidirá este mes."}, 3}},
		},
	}
	for _, item := range proposals {
		p := item.p
		p.ID = models.NewID()
		p.OrganizationID = orgID
		// Made two days before its first public update; answered and
		// decided on the days its updates say.
		p.CreatedOn = today.AddDays(-item.updates[0].ago - 2)
		for _, u := range item.updates {
			day := today.AddDays(-u.ago)
			if p.RespondedOn == nil && u.status != models.StatusOpen {
				p.RespondedOn = &day
			}
			if p.DecidedOn == nil && (u.status == models.StatusAccepted || u.status == models.StatusDeclined) {
				p.DecidedOn = &day
			}
		}
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		for _, s := range item.sites {
			if err := tx.Create(&models.ProposalSite{ProposalID: p.ID, SiteID: s.ID}).Error; err != nil {
				return err
			}
		}
		if p.Origin == models.OriginParticipants {
			for _, need := range p.Needs {
				code := need
				ev := models.ProposalEvidence{ID: models.NewID(), ProposalID: p.ID, Kind: models.EvidenceNeed, Code: &code}
				if err := tx.Create(&ev).Error; err != nil {
					return err
				}
			}
		}
		for i, u := range item.updates {
			pu := models.ProposalUpdate{ID: models.NewID(), ProposalID: p.ID, Status: u.status, Body: u.body, Day: today.AddDays(-u.ago),
				CreatedAt: now.Add(time.Duration(i-len(item.updates)) * time.Minute)}
			if err := tx.Create(&pu).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// seedFeedback adds a year and more of invented submissions: the storefront
// every day, the van three days a week, each with its own mix of needs (the
// van's people ask more for transport and treatment), about the volume of a
// busy program, so reports show figures and not only hidden counts. The
// generator is seeded, so every demo looks the same.
func seedFeedback(tx *gorm.DB, orgID string, sites []models.Site, kiosks []models.Kiosk, now time.Time) error {
	rng := rand.New(rand.NewPCG(2026, 11))
	// Relative weights of the needs, in catalog order, at the storefront
	// and at the van.
	weights := [][]int{
		{9, 8, 6, 4, 3, 5, 4, 4, 5, 8, 7, 3, 2, 4, 3, 3, 4},
		{8, 8, 5, 4, 2, 6, 7, 5, 3, 5, 5, 3, 8, 3, 2, 3, 2},
	}
	strengths := []string{"naloxone_carry", "share_info", "hand_out_supplies", "friends_tested", "connect_services", "work_skills"}
	texts := []string{
		"The van should come twice a week in winter.",
		"Please keep more naloxone at the front desk.",
		"I need help getting my ID back.",
		"Evening hours would help people who work days.",
	}
	var subs []models.Submission
	var feedback []models.FeedbackText
	// From the first of the month a year ago through today: whole
	// months, as reports count them.
	first := time.Date(now.Year(), now.Month()-12, 1, 12, 0, 0, 0, time.UTC)
	for when := first; !when.After(now); when = when.AddDate(0, 0, 1) {
		for site := range sites {
			if site == 1 && when.Weekday()%2 == 0 {
				continue // the van is out on Mondays, Wednesdays and Fridays
			}
			loc, err := time.LoadLocation(sites[site].TimeZone)
			if err != nil {
				return err
			}
			perDay := 10 + rng.IntN(11)
			if site == 1 {
				perDay = 8 + rng.IntN(8)
			}
			for range perDay {
				chosen := weighted(rng, weights[site%2], 1+rng.IntN(4))
				s := models.Submission{
					ID: models.NewID(), OrganizationID: orgID, SiteID: sites[site].ID, KioskID: &kiosks[site].ID,
					Language: []string{"en", "en", "es"}[rng.IntN(3)], Day: models.DayOf(when, loc),
					Needs: chosen, Priorities: chosen[:min(3, len(chosen))],
					Strengths: pick(rng, strengths, rng.IntN(3)), About: about(rng),
				}
				subs = append(subs, s)
				if len(subs)%97 == 0 {
					n := len(feedback)
					feedback = append(feedback, models.FeedbackText{ID: models.NewID(), SubmissionID: s.ID, OrganizationID: orgID,
						SiteID: s.SiteID, Day: s.Day, Body: texts[n%len(texts)], MayQuote: n%2 == 0, State: models.TextPending})
				}
			}
		}
	}
	if err := tx.CreateInBatches(subs, 500).Error; err != nil {
		return err
	}
	return tx.Create(&feedback).Error
}

// weighted picks n distinct needs, more often the heavier ones.
func weighted(rng *rand.Rand, weights []int, n int) models.Codes {
	out := models.Codes{}
	for len(out) < n {
		total := 0
		for i, w := range weights {
			if !slices.Contains(out, catalog.Needs[i].Code) {
				total += w
			}
		}
		r := rng.IntN(total)
		for i, w := range weights {
			if slices.Contains(out, catalog.Needs[i].Code) {
				continue
			}
			if r < w {
				out = append(out, catalog.Needs[i].Code)
				break
			}
			r -= w
		}
	}
	return out
}

// about answers some of the "about you" questions, as people do.
func about(rng *rand.Rand) models.Bands {
	out := models.Bands{}
	for _, q := range catalog.AboutQuestions {
		if rng.IntN(10) < 6 {
			bands := catalog.About[q]
			out[q] = bands[rng.IntN(len(bands))]
		}
	}
	return out
}

func pick(rng *rand.Rand, from []string, n int) models.Codes {
	idx := rng.Perm(len(from))
	out := make(models.Codes, 0, n)
	for _, i := range idx[:min(n, len(from))] {
		out = append(out, from[i])
	}
	return out
}
