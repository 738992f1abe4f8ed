package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// Two group conversations, as a program might upload them after a
// listening session. The phone number is there on purpose: the upload
// scrubs it, as it would a real one.
var demoTranscripts = []struct{ title, text string }{
	{"Listening session, storefront", "Facilitator: Who looks out for you?\n" +
		"R1: My friends do. We carry naloxone and we stay with each other.\n" +
		"R2: I hand out new supplies to people who can't get to the van. Call me at (618) 555-0199 if you need some.\n" +
		"R3: The clinic treated me like I wasn't worth the time, so I stopped going."},
	{"Listening session, van", "Facilitator: What has changed for you this year?\n" +
		"R1: I got a job at the warehouse. Recovery is mine, on my own terms.\n" +
		"R2: I tell people about the test strips and what's going around.\n" +
		"R3: I went to court and spoke up for myself for the first time."},
}

// seedResearch gives the demo the whole research loop at once: the default
// codebook, moderated texts and two transcripts to code, the admin and the
// staff member as coders with an overlap sample coded blind (a few
// disagreements), one disagreement reconciled, findings with how the
// community answered them, and a meeting that checked one of them, with
// its comments and the facilitator's notes. It runs inside the
// demo's transaction, through the store, so the rules are the real ones.
func seedResearch(tx *gorm.DB, dialect database.Dialect, res *Result, now time.Time) error {
	ctx := tx.Statement.Context
	st := store.New(&database.DB{DB: tx, Dialect: dialect})
	st.Now = func() time.Time { return now }
	org := res.Organization.ID
	if err := st.AddDefaultCodebook(ctx, org); err != nil {
		return err
	}
	people := map[models.Role]models.User{}
	for _, a := range Accounts {
		var u models.User
		if err := tx.Where("email = ?", a.Email).First(&u).Error; err != nil {
			return err
		}
		people[a.Role] = u
	}
	admin, staff := people[models.RoleAdmin], people[models.RoleStaff]
	// Moderation approved the first dozen kiosk texts.
	day := models.DayOf(now, time.UTC)
	var texts []string
	if err := tx.Model(&models.FeedbackText{}).Where("organization_id = ?", org).Order("day, id").Limit(12).Pluck("id", &texts).Error; err != nil {
		return err
	}
	if err := tx.Model(&models.FeedbackText{}).Where("id IN ?", texts).
		Updates(map[string]any{"state": models.TextApproved, "moderated_by": admin.ID, "moderated_on": day}).Error; err != nil {
		return err
	}
	for i, t := range demoTranscripts {
		clean, removed := privacy.Scrub(t.text)
		if _, err := st.By(&admin).ImportTranscript(ctx, org, res.Sites[i%len(res.Sites)].ID, day.AddDays(-7*(i+1)), t.title, clean, removed); err != nil {
			return fmt.Errorf("demo transcript: %w", err)
		}
	}
	for _, u := range []models.User{admin, staff} {
		if err := st.By(&admin).SetCoder(ctx, org, u.ID, true); err != nil {
			return err
		}
	}
	sample, err := st.By(&admin).DrawSample(ctx, org, 50, 15, []string{admin.ID, staff.ID})
	if err != nil {
		return err
	}
	if err := codeDemoSample(ctx, st, org, sample.ID, admin, staff); err != nil {
		return err
	}
	findings, err := seedFindings(ctx, tx, st, res, admin, day)
	if err != nil {
		return err
	}
	return seedMeeting(ctx, tx, st, res, people[models.RoleFacilitator], staff, findings[0])
}

// codeDemoSample has both coders code every sample excerpt: mostly alike,
// with a disagreement on every third, then reconciles the first.
func codeDemoSample(ctx context.Context, st *store.Store, org, sampleID string, admin, staff models.User) error {
	books, err := st.Codebooks(ctx, org)
	if err != nil {
		return err
	}
	codes, err := st.Codes(ctx, org, books[0].ID)
	if err != nil {
		return err
	}
	excerpts, _, err := st.Excerpts(ctx, org, admin.ID, store.ExcerptFilter{AssignedOnly: true, Limit: 200})
	if err != nil {
		return err
	}
	for i, e := range excerpts {
		agreed := codes[1+i%4].ID
		for _, coder := range []models.User{admin, staff} {
			a := st.By(&coder)
			if _, err := a.AddCoding(ctx, org, e.ID, agreed, nil); err != nil {
				return err
			}
			if i%3 == 0 && coder.ID == staff.ID {
				if _, err := a.AddCoding(ctx, org, e.ID, codes[len(codes)-1].ID, nil); err != nil {
					return err
				}
			}
			if err := a.SubmitExcerpt(ctx, org, e.ID); err != nil {
				return err
			}
		}
	}
	table, err := st.Agreement(ctx, org, sampleID)
	if err != nil || len(table.Disagreements) == 0 {
		return err
	}
	d := table.Disagreements[0]
	_, err = st.By(&admin).Reconcile(ctx, org, d.ExcerptID, d.CodeID, true)
	return err
}
