package main

import (
	"context"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// The demo prints a ready kiosk link, each site's own-phone poster link and
// the public board's address; each start prints a fresh kiosk code, which
// enrolls a browser as the demo's kiosk once and cancels the one printed
// before, and the same posters.
func TestDemoPrintsAKioskCodeAndPosters(t *testing.T) {
	for _, d := range testutil.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			env := map[string]string{"DATABASE_URL": testutil.NewDatabaseURL(t, d), "CHORUS_BASE_URL": "https://chorus.example.org"}
			ctx := context.Background()
			link := regexp.MustCompile(`https://chorus\.example\.org/kiosk#enroll=([A-Z0-9]+)\n`)
			poster := regexp.MustCompile(`  (Lower East Side storefront|Southern Illinois van) +https://chorus\.example\.org/p/([A-Z0-9]{10})\n`)
			var posters []map[string]string
			codeOf := func() string {
				t.Helper()
				r := runWith(ctx, env, "demo", "--no-serve")
				m := link.FindStringSubmatch(r.stdout)
				if r.code != 0 || m == nil || !strings.Contains(r.stdout, "https://chorus.example.org/board/demo\n") || !strings.Contains(r.stdout, "the code "+m[1]) {
					t.Fatalf("demo: %+v", r)
				}
				printed := map[string]string{}
				for _, p := range poster.FindAllStringSubmatch(r.stdout, -1) {
					printed[p[1]] = p[2]
				}
				if len(printed) != 2 || strings.Index(r.stdout, "/p/") < strings.Index(r.stdout, "/kiosk#enroll=") {
					t.Fatalf("want each site's poster link after the kiosk's: %+v", r)
				}
				posters = append(posters, printed)
				return m[1]
			}
			first, second := codeOf(), codeOf()
			if first == second {
				t.Fatalf("the same code twice: %s", first)
			}
			// A poster stays as printed: a second start prints the same one.
			if !maps.Equal(posters[0], posters[1]) {
				t.Fatalf("the posters changed between starts: %v, then %v", posters[0], posters[1])
			}
			db, err := database.Open(ctx, env["DATABASE_URL"], testutil.Logger())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			st := store.New(db)
			if _, _, err := st.Enroll(ctx, first); err == nil {
				t.Error("the code printed before still enrolls")
			}
			ka, token, err := st.Enroll(ctx, second)
			if err != nil || token == "" || ka.Kiosk.Name != "Front desk tablet" {
				t.Fatalf("enroll with the printed code: %+v, %v", ka.Kiosk, err)
			}
			if _, _, err := st.Enroll(ctx, second); err == nil {
				t.Errorf("the printed code enrolled twice: %v", err)
			}
			// Each printed poster opens its own site's feedback.
			for name, code := range posters[1] {
				pa, err := st.PosterByCode(ctx, code)
				if err != nil || pa.Site.Name != name {
					t.Errorf("poster %s: site %q, %v; want %q", code, pa.Site.Name, err, name)
				}
			}
		})
	}
}
