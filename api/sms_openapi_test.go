package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// The SMS set-up, the projector's line and a refused webhook answer what
// docs/openapi.yaml describes.
func TestOpenAPIDescribesSMS(t *testing.T) {
	doc := openAPI(t)
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		c := jsonschema.NewCompiler()
		if err := c.AddResource("openapi.json", closed(doc)); err != nil {
			t.Fatal(err)
		}
		s := newSMSServer(t, db)
		r := s.as(s.admin, "GET", "/api/v1/organization/sms", nil)
		wantStatus(t, r, http.StatusOK)
		matchSchema(t, schemaFor(t, c, "get", "/api/v1/organization/sms", "200", "application/json"), r, "GET /api/v1/organization/sms")
		s.wantReply("+15550400001", "hi", "What do you need?")
		r = s.as(s.admin, "PUT", "/api/v1/organization/sms", map[string]any{"phone_number": smsProgram, "account_sid": smsAccount,
			"site_id": s.org.Site.ID, "monthly_cap": 1, "enabled": true})
		wantStatus(t, r, http.StatusOK)
		matchSchema(t, schemaFor(t, c, "put", "/api/v1/organization/sms", "200", "application/json"), r, "PUT /api/v1/organization/sms")
		s.text("+15550400001", "0")
		r = s.as(s.admin, "GET", "/api/v1/organization/sms", nil)
		matchSchema(t, schemaFor(t, c, "get", "/api/v1/organization/sms", "200", "application/json"), r, "at the cap")

		_, code, _, _ := s.meeting("en", map[string]any{"kind": "agree", "prompt": "Open on Sundays?"})
		r = s.do("GET", "/api/v1/live/"+code+"/sms", nil)
		wantStatus(t, r, http.StatusOK)
		matchSchema(t, schemaFor(t, c, "get", "/api/v1/live/{code}/sms", "200", "application/json"), r, "the projector's line")

		r = s.as(s.admin, "PUT", "/api/v1/organization/sms", map[string]any{"phone_number": "555-0100", "account_sid": smsAccount,
			"site_id": s.org.Site.ID, "monthly_cap": 1, "enabled": true})
		wantStatus(t, r, http.StatusBadRequest)
		if e := r.errorBody(t); e.Fields["phone_number"] == "" {
			t.Errorf("a number not in E.164 form: %+v", e)
		}
		matchSchema(t, schemaFor(t, c, "", "", "BadRequest", "application/json"), r, "a refused number")
		r = s.as(s.admin, "PUT", "/api/v1/organization/sms", map[string]any{"phone_number": smsProgram, "account_sid": smsAccount,
			"site_id": s.org.Site.ID, "monthly_cap": 1, "enabled": false})
		wantStatus(t, r, http.StatusOK)
		r = s.do("GET", "/api/v1/live/"+code+"/sms", nil)
		wantStatus(t, r, http.StatusOK)
		if strings.TrimSpace(r.Body.String()) != `{"number":null}` {
			t.Errorf("SMS off: %s, want no number", r.Body.String())
		}
		matchSchema(t, schemaFor(t, c, "get", "/api/v1/live/{code}/sms", "200", "application/json"), r, "SMS off")
		r = s.do("GET", "/api/v1/live/ZZZZZZ/sms", nil)
		wantStatus(t, r, http.StatusNotFound)
		matchSchema(t, schemaFor(t, c, "", "", "NotFound", "application/json"), r, "no such meeting")
	})
}
