package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// The demo prints a ready kiosk link and the public board's address; each
// start prints a fresh code, which enrolls a browser as the demo's kiosk
// once, and cancels the one printed before.
func TestDemoPrintsAKioskCode(t *testing.T) {
	for _, d := range testutil.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			env := map[string]string{"DATABASE_URL": testutil.NewDatabaseURL(t, d), "CHORUS_BASE_URL": "https://chorus.example.org"}
			ctx := context.Background()
			link := regexp.MustCompile(`https://chorus\.example\.org/kiosk#enroll=([A-Z0-9]+)\n`)
			codeOf := func() string {
				t.Helper()
				r := runWith(ctx, env, "demo", "--no-serve")
				m := link.FindStringSubmatch(r.stdout)
				if r.code != 0 || m == nil || !strings.Contains(r.stdout, "https://chorus.example.org/board/demo\n") || !strings.Contains(r.stdout, "the code "+m[1]) {
					t.Fatalf("demo: %+v", r)
				}
				return m[1]
			}
			first, second := codeOf(), codeOf()
			if first == second {
				t.Fatalf("the same code twice: %s", first)
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
		})
	}
}
