package edge_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// An item upstream refuses is set aside on the van (kept, counted on the
// console) and the rest of its batch is stored; revoking the device stops
// the next sync and says so. Upstream on each database, the van on SQLite.
func TestRefusedItemIsSetAsideAndRevocationShows(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, mainDB *database.DB) {
		ctx := context.Background()
		prog := newVanProgram(t, mainDB)
		st, org, site := prog.st, prog.org, prog.site
		v := prog.enrollVan(t)
		van, vanStore, syncer, device := v.db, v.st, v.syncer, v.device
		for i, need := range []string{"housing", "teleportation", "food"} {
			s := models.Submission{ID: fmt.Sprintf("00000000-0000-4000-8000-00000000000%d", i), OrganizationID: org.ID, SiteID: site.ID,
				Channel: models.ChannelKiosk, Language: "en", Day: models.DayOf(time.Now(), time.UTC), Needs: models.Codes{need},
				Priorities: models.Codes{}, Strengths: models.Codes{}, About: models.Bands{}, IdempotencyKey: []byte{byte(i)}, RequestHash: []byte("h")}
			if err := van.Create(&s).Error; err != nil {
				t.Fatal(err)
			}
		}
		var refused *edge.RefusedError
		if err := syncer.Once(ctx); !errors.As(err, &refused) || refused.Fields["items[1].submission.needs[0]"] == "" {
			t.Fatalf("first sync: %v, want the unknown need refused", err)
		}
		if err := syncer.Once(ctx); err != nil {
			t.Fatalf("second sync: %v", err)
		}
		var upstream int64
		mainDB.Model(&models.Submission{}).Where("organization_id = ?", org.ID).Count(&upstream)
		console, err := vanStore.EdgeConsole(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if upstream != 2 || console.SetAside != 1 || console.Waiting[edge.KindSubmission] != 0 || console.Sent != 2 || !console.Online {
			t.Fatalf("after the refusal: %d upstream, console %+v", upstream, console)
		}
		var kept int64
		van.Model(&models.Submission{}).Count(&kept)
		if kept != 1 {
			t.Fatalf("the van keeps %d submissions, want the refused one", kept)
		}

		if _, err := st.By(nil).RevokeEdgeDevice(ctx, org.ID, device.ID); err != nil {
			t.Fatal(err)
		}
		if err := syncer.Once(ctx); !errors.Is(err, edge.ErrRevoked) {
			t.Fatalf("sync after revocation: %v", err)
		}
		if console, err = vanStore.EdgeConsole(ctx); err != nil || !console.Revoked || console.LastError == "" {
			t.Fatalf("console after revocation: %+v %v", console, err)
		}
	})
}
