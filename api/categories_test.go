package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// Admins edit what the kiosk offers; a retired category leaves the kiosk
// but its code stays valid in stored answers.
func TestAdminsEditCategories(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Catalog Program")
		admin := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		r := s.as(admin, "POST", "/api/v1/categories", map[string]any{"kind": "need", "code": "phone_charging", "icon": "bolt",
			"label": map[string]string{"en": "A place to charge my phone", "es": "Un lugar para cargar mi teléfono"}})
		wantStatus(t, r, http.StatusCreated)
		var created categoryView
		_ = json.Unmarshal(r.Body.Bytes(), &created)
		wantStatus(t, s.as(admin, "POST", "/api/v1/categories", map[string]any{"kind": "need", "code": "Bad Code", "label": map[string]string{"en": "x", "es": "y"}}), http.StatusBadRequest)
		wantStatus(t, s.as(admin, "POST", "/api/v1/categories", map[string]any{"kind": "need", "code": "no_spanish", "label": map[string]string{"en": "x"}}), http.StatusBadRequest)
		wantStatus(t, s.as(admin, "POST", "/api/v1/categories", map[string]any{"kind": "need", "code": "phone_charging", "label": map[string]string{"en": "x", "es": "y"}}), http.StatusConflict)

		k := bearer("kiosk", o.KioskToken)
		if r := s.as(k, "GET", "/api/v1/kiosk/config", nil); !strings.Contains(r.Body.String(), "phone_charging") {
			t.Fatal("new category not offered")
		}
		wantStatus(t, submit(s, o.KioskToken, "c1", map[string]any{"language": "en", "needs": []string{"phone_charging"}}), http.StatusCreated)
		wantStatus(t, s.as(admin, "PATCH", "/api/v1/categories/"+created.ID, map[string]any{"active": false}), http.StatusOK)
		if r := s.as(k, "GET", "/api/v1/kiosk/config", nil); strings.Contains(r.Body.String(), "phone_charging") {
			t.Fatal("retired category still offered")
		}
		wantStatus(t, submit(s, o.KioskToken, "c2", map[string]any{"language": "en", "needs": []string{"phone_charging"}}), http.StatusBadRequest)
		// The earlier answer is still there and still replays.
		wantStatus(t, submit(s, o.KioskToken, "c1", map[string]any{"language": "en", "needs": []string{"phone_charging"}}), http.StatusOK)
	})
}

// Admins set the kiosk's "Need help now?" list; until they do, it holds
// 911 and the 988 Lifeline.
func TestAdminsSetHelpResources(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Helpful Program")
		admin := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		k := bearer("kiosk", o.KioskToken)
		if r := s.as(k, "GET", "/api/v1/kiosk/config", nil); !strings.Contains(r.Body.String(), `"phone":"988"`) {
			t.Fatalf("default resources missing: %s", r.Body.String())
		}
		list := []map[string]any{{"label": map[string]string{"en": "Van hotline", "es": "Línea de la camioneta"}, "detail": map[string]string{"en": "Call us", "es": "Llámenos"}, "phone": "(618) 555-0100"}}
		wantStatus(t, s.as(admin, "PATCH", "/api/v1/organization", map[string]any{"resources": list}), http.StatusOK)
		r := s.as(k, "GET", "/api/v1/kiosk/config", nil)
		if !strings.Contains(r.Body.String(), "Línea de la camioneta") || strings.Contains(r.Body.String(), `"phone":"988"`) {
			t.Fatalf("configured resources not served: %s", r.Body.String())
		}
		bad := []map[string]any{{"label": map[string]string{"en": "No Spanish"}}}
		r = s.as(admin, "PATCH", "/api/v1/organization", map[string]any{"resources": bad})
		wantStatus(t, r, http.StatusBadRequest)
		if r.errorBody(t).Fields["resources[0].label.es"] == "" {
			t.Errorf("error does not name the field: %s", r.Body.String())
		}
	})
}
