package api

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// countKeys are the JSON fields of reports that hold counts of people.
var countKeys = map[string]bool{"cells": true, "total": true, "respondents": true, "respondents_total": true, "answered": true, "per_period": true,
	"support": true, "participants_per_period": true, "participants_total": true}

// smallCounts lists every count in 1..k-1 found under a count field.
func smallCounts(v any, k int, underCount bool, path string, found *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for key, val := range x {
			smallCounts(val, k, underCount || countKeys[key], path+"."+key, found)
		}
	case []any:
		for i, val := range x {
			smallCounts(val, k, underCount, fmt.Sprintf("%s[%d]", path, i), found)
		}
	case float64:
		if underCount && x > 0 && x < float64(k) {
			*found = append(*found, fmt.Sprintf("%s = %v", path, x))
		}
	}
}

// Every report, as JSON and as CSV, shows a policymaker no count from 1 to
// k-1 on a small data set where such counts are everywhere.
func TestReportsHideSmallCountsFromPolicymakers(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Small Program")
		needs := [][]string{{"housing"}, {"food"}, {"naloxone"}, {"housing", "jobs"}, {"transportation"}, {"housing", "food"}}
		for i := 0; i < 23; i++ {
			body := map[string]any{"language": "en", "needs": needs[i%6], "priorities": needs[i%6][:1],
				"strengths": []string{"naloxone_carry", "share_info"}[:i%3], "about": map[string]string{"age_band": []string{"under_25", "25_34", "35_44"}[i%3]}}
			wantStatus(t, submit(s, o.KioskToken, fmt.Sprint("small-", i), body), http.StatusCreated)
			if i%5 == 4 {
				s.clock.Advance(24 * time.Hour)
			}
		}
		// A proposal with a few answers from the kiosk.
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		id := newProposal(t, s, staff, o.Site.ID)
		wantStatus(t, postUpdate(s, staff, id, "open"), http.StatusCreated)
		for i, ans := range []string{"agree", "agree", "agree", "disagree", "unsure", "agree", "agree", "agree", "agree", "agree", "agree", "agree", "agree"} {
			wantStatus(t, supportCall(s, o.KioskToken, fmt.Sprint("support-", i), map[string]string{"proposal_id": id, "answer": ans}), http.StatusCreated)
		}
		policymaker := session(t, db, s.store, o.Users[models.RolePolicymaker], o.ID)
		for _, path := range []string{"proposals", "sessions", "needs", "needs?by=site", "priorities", "priorities?by=site", "strengths", "participation", "about",
			"needs?period=week", "participation?period=week", "needs?setting=urban&period=quarter"} {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			// The data is all in November, a month still under way: the
			// default range (the last twelve complete months) leaves it out.
			path += sep + "from=2026-11-01&to=2026-11-30"
			sep = "&"
			r := s.as(policymaker, "GET", "/api/v1/reports/"+path, nil)
			wantStatus(t, r, http.StatusOK)
			var body any
			if err := json.Unmarshal(r.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.Body.String(), `"too_few":false`) && !strings.HasPrefix(path, "sessions") && !strings.HasPrefix(path, "proposals") {
				t.Fatalf("%s: the whole report is too few, so the test checks nothing: %s", path, r.Body.String())
			}
			var found []string
			smallCounts(body, 11, false, path, &found)
			if len(found) > 0 {
				t.Fatalf("%s shows small counts: %v\n%s", path, found, r.Body.String())
			}
			// Participation is 23 in one week and month: nothing small to hide;
			// there were no meetings.
			if !strings.HasPrefix(path, "participation") && !strings.HasPrefix(path, "sessions") && !strings.Contains(r.Body.String(), "null") {
				t.Fatalf("%s suppressed nothing on a data set full of small counts: %s", path, r.Body.String())
			}
			r = s.as(policymaker, "GET", "/api/v1/reports/"+path+sep+"format=csv", nil)
			wantStatus(t, r, http.StatusOK)
			lines, err := csv.NewReader(strings.NewReader(r.Body.String())).ReadAll()
			if err != nil {
				t.Fatalf("%s csv: %v", path, err)
			}
			for _, line := range lines[1:] {
				for i, cell := range line {
					if lines[0][i] == "share_percent" {
						continue
					}
					if n, err := strconv.Atoi(cell); err == nil && n > 0 && n < 11 {
						t.Fatalf("%s csv shows %d: %q", path, n, line)
					}
				}
			}
		}
		// Bad filters are refused with the one error shape, and change nothing.
		for _, bad := range []string{"needs?period=fortnight", "needs?from=2026-13-01", "needs?by=kiosk", "needs?setting=suburban", "needs?site_id=" + models.NewID(), "needs?from=2010-01-01"} {
			wantStatus(t, s.as(policymaker, "GET", "/api/v1/reports/"+bad, nil), http.StatusBadRequest)
		}
	})
}

// An admin sets retention; a value that would delete too soon is refused.
func TestRetentionSetting(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Retention Program")
		admin := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		r := s.as(admin, "PATCH", "/api/v1/organization", map[string]any{"retention_days": 365})
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), `"retention_days":365`) {
			t.Fatalf("organization = %s", r.Body.String())
		}
		wantStatus(t, s.as(admin, "PATCH", "/api/v1/organization", map[string]any{"retention_days": 7}), http.StatusBadRequest)
		r = s.as(admin, "PATCH", "/api/v1/organization", map[string]any{"retention_days": 0})
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), `"retention_days":null`) {
			t.Fatalf("organization = %s", r.Body.String())
		}
	})
}
