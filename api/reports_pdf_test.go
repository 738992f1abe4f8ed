package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// A policymaker downloads the printable report in English and Spanish,
// filtered like any report; a language or filter it does not know is
// refused with the one error shape, and a facilitator may not have it.
// (internal/report's tests read the PDF's text and check that no count
// from 1 to k-1 is in it.)
func TestReportPDF(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "PDF Program")
		needs := [][]string{{"housing"}, {"food"}, {"naloxone", "housing"}}
		for i := 0; i < 30; i++ {
			body := map[string]any{"language": "es", "needs": needs[i%3], "priorities": needs[i%3], "strengths": []string{"naloxone_carry"}}
			wantStatus(t, submit(s, o.KioskToken, fmt.Sprint("pdf-", i), body), http.StatusCreated)
			if i%10 == 9 {
				s.clock.Advance(24 * time.Hour)
			}
		}
		policymaker := session(t, db, s.store, o.Users[models.RolePolicymaker], o.ID)
		for _, query := range []string{"", "?lang=es", "?lang=en&period=week&site_id=" + o.Site.ID, "?setting=" + o.Site.Setting} {
			r := s.as(policymaker, "GET", "/api/v1/reports/pdf"+query, nil)
			wantStatus(t, r, http.StatusOK)
			if ct := r.Header().Get("Content-Type"); ct != "application/pdf" {
				t.Fatalf("%s: Content-Type %q", query, ct)
			}
			if cd := r.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="chorus-report-`) || !strings.HasSuffix(cd, `.pdf"`) {
				t.Fatalf("%s: Content-Disposition %q", query, cd)
			}
			body := r.Body.Bytes()
			if !bytes.HasPrefix(body, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(body), []byte("%%EOF")) {
				t.Fatalf("%s: not a whole PDF: %q…", query, body[:min(len(body), 32)])
			}
			if !bytes.Contains(body, []byte("/Type /Page\n")) {
				t.Fatalf("%s: a PDF without pages", query)
			}
		}
		for _, bad := range []string{"?lang=fr", "?period=fortnight", "?site_id=" + models.NewID()} {
			r := s.as(policymaker, "GET", "/api/v1/reports/pdf"+bad, nil)
			wantStatus(t, r, http.StatusBadRequest)
			if e := r.errorBody(t); e.Code != CodeInvalidInput {
				t.Fatalf("%s: error %+v", bad, e)
			}
		}
		facilitator := session(t, db, s.store, o.Users[models.RoleFacilitator], o.ID)
		wantStatus(t, s.as(facilitator, "GET", "/api/v1/reports/pdf", nil), http.StatusForbidden)
	})
}
