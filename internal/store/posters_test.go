package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

func TestPosterCodeRotates(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newKioskFixture(t, db)
		if p, err := f.st.Poster(ctx, f.org.ID, f.site.ID); p != nil || err != nil {
			t.Fatalf("a new site's poster: %v, %v; want none", p, err)
		}
		first, err := f.st.By(nil).IssuePoster(ctx, f.org.ID, f.site.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(first.Code) != store.PosterCodeLength {
			t.Fatalf("code %q", first.Code)
		}
		// Typed by hand: lower case, a dash and a space work.
		typed := strings.ToLower(first.Code[:5]) + "- " + first.Code[5:]
		pa, err := f.st.PosterByCode(ctx, typed)
		if err != nil || pa.Site.ID != f.site.ID || pa.Site.TimeZone != f.site.TimeZone || pa.Source().Channel != models.ChannelPhone {
			t.Fatalf("PosterByCode(%q) = %+v, %v", typed, pa, err)
		}
		second, err := f.st.By(nil).IssuePoster(ctx, f.org.ID, f.site.ID)
		if err != nil {
			t.Fatal(err)
		}
		// A retired code still names its site, for replays of what a phone
		// sent before the rotation.
		if old, err := f.st.PosterByCode(ctx, first.Code); !errors.Is(err, store.ErrPosterRetired) || !old.Retired() || old.Site.ID != f.site.ID {
			t.Fatalf("old code: %+v, %v; want retired at its site", old, err)
		}
		if _, err := f.st.PosterByCode(ctx, second.Code); err != nil {
			t.Fatalf("new code: %v", err)
		}
		current, err := f.st.Poster(ctx, f.org.ID, f.site.ID)
		if err != nil || current == nil || current.Code != second.Code {
			t.Fatalf("current poster %+v, %v; want %s", current, err, second.Code)
		}
		for _, code := range []string{"", "2345679ACD", "short", strings.Repeat("2", 40)} {
			if _, err := f.st.PosterByCode(ctx, code); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("PosterByCode(%q): %v, want not found", code, err)
			}
		}
	})
}

// A phone's idempotency keys are unique per site and channel: a replay is
// the same submission, a kiosk using the same key stores its own.
func TestPhoneSubmissionExactlyOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newKioskFixture(t, db)
		p, err := f.st.IssuePoster(ctx, f.org.ID, f.site.ID)
		if err != nil {
			t.Fatal(err)
		}
		pa, err := f.st.PosterByCode(ctx, p.Code)
		if err != nil {
			t.Fatal(err)
		}
		in := store.SubmissionInput{Language: "es", Needs: []string{"housing"}, Text: "más horas", MayQuote: true}
		first, err := f.st.SubmitFrom(ctx, pa.Source(), "key-1", []byte("body"), in)
		if err != nil || first.Replayed {
			t.Fatalf("first: %+v, %v", first, err)
		}
		again, err := f.st.SubmitFrom(ctx, pa.Source(), "key-1", []byte("body"), in)
		if err != nil || !again.Replayed || again.ID != first.ID {
			t.Fatalf("replay: %+v, %v; want %s replayed", again, err, first.ID)
		}
		if _, err := f.st.SubmitFrom(ctx, pa.Source(), "key-1", []byte("other body"), in); !errors.Is(err, store.ErrIdempotencyMismatch) {
			t.Fatalf("other body: %v, want mismatch", err)
		}
		kiosk, err := submitAs(t, f.st, f.secret, "key-1", in)
		if err != nil || kiosk.Replayed {
			t.Fatalf("kiosk with the phone's key: %+v, %v; want its own submission", kiosk, err)
		}
		var rows []models.Submission
		if err := db.Order("channel").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Channel != models.ChannelKiosk || rows[1].Channel != models.ChannelPhone || rows[1].KioskID != nil {
			t.Fatalf("stored %+v, want one kiosk and one phone submission without a kiosk", rows)
		}
		var texts int64
		if err := db.Model(&models.FeedbackText{}).Where("submission_id = ?", first.ID).Count(&texts).Error; err != nil || texts != 1 {
			t.Fatalf("phone free text: %d, %v; want 1 waiting for moderation", texts, err)
		}
	})
}
