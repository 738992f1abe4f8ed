package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

const openAPIFile = "../docs/openapi.yaml"

// openAPI reads docs/openapi.yaml as JSON values, the way a schema
// validator reads them.
func openAPI(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(openAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	root, ok := doc.(map[string]any)
	if !ok || root["openapi"] != "3.1.0" {
		t.Fatalf("openapi.yaml is not an OpenAPI 3.1.0 document")
	}
	return root
}

var pathParam = regexp.MustCompile(`\{(\w+)\}`)

// documentedRoutes lists "METHOD /path" for every operation, with path
// parameters written the router's way (:id).
func documentedRoutes(doc map[string]any) map[string]bool {
	out := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			switch method {
			case "get", "post", "put", "patch", "delete":
				out[strings.ToUpper(method)+" "+pathParam.ReplaceAllString(path, ":$1")] = true
			}
		}
	}
	return out
}

// The document describes every report and research route of the router,
// and nothing the router does not serve.
func TestOpenAPIMatchesRouter(t *testing.T) {
	s := newTestServer(t, testutil.NewDB(t, database.SQLite))
	documented := documentedRoutes(openAPI(t))
	served := map[string]bool{}
	for _, r := range s.engine.Routes() {
		key := r.Method + " " + r.Path
		served[key] = true
		if (strings.HasPrefix(r.Path, "/api/v1/reports") || strings.HasPrefix(r.Path, "/api/v1/research/")) && !documented[key] {
			t.Errorf("%s is served but missing from %s", key, openAPIFile)
		}
	}
	for key := range documented {
		if !served[key] {
			t.Errorf("%s documents %s, which the router does not serve", openAPIFile, key)
		}
	}
}

// schemaFor compiles the schema of an operation's response.
func schemaFor(t *testing.T, c *jsonschema.Compiler, method, path, status, media string) *jsonschema.Schema {
	t.Helper()
	ptr := "/paths/" + strings.ReplaceAll(strings.ReplaceAll(path, "~", "~0"), "/", "~1") + "/" + method + "/responses/" + status
	if !strings.HasPrefix(status, "2") {
		ptr = "/components/responses/" + status
	}
	sch, err := c.Compile("openapi.json#" + ptr + "/content/" + strings.ReplaceAll(media, "/", "~1") + "/schema")
	if err != nil {
		t.Fatalf("schema of %s %s: %v", path, status, err)
	}
	return sch
}

// Every JSON report, on a small data set and with an API token, answers
// what the document's schemas describe; so does a refused filter.
func TestOpenAPIDescribesReportResponses(t *testing.T) {
	doc := openAPI(t)
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		c := jsonschema.NewCompiler()
		if err := c.AddResource("openapi.json", closed(doc)); err != nil {
			t.Fatal(err)
		}
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "OpenAPI Program")
		for i := 0; i < 14; i++ {
			body := map[string]any{"language": "en", "needs": []string{"housing", "food"}[:1+i%2], "priorities": []string{"housing"},
				"strengths": []string{"share_info"}, "about": map[string]string{"age_band": "25_34", "housing": "unstable"}}
			wantStatus(t, submit(s, o.KioskToken, fmt.Sprint("openapi-", i), body), http.StatusCreated)
		}
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		wantStatus(t, postUpdate(s, staff, newProposal(t, s, staff, o.Site.ID), models.StatusOpen), http.StatusCreated)

		// An analyst's script: a token made while signed in, then Bearer.
		policymaker := session(t, db, s.store, o.Users[models.RolePolicymaker], o.ID)
		r := s.as(policymaker, "POST", "/api/v1/tokens", map[string]any{"name": "analysis"})
		wantStatus(t, r, http.StatusCreated)
		matchSchema(t, schemaFor(t, c, "post", "/api/v1/tokens", "201", "application/json"), r, "POST /api/v1/tokens")
		var tok struct{ Token string }
		if err := json.Unmarshal(r.Body.Bytes(), &tok); err != nil {
			t.Fatal(err)
		}
		bearer := []string{"Authorization", "Bearer " + tok.Token}

		for _, tc := range []struct{ path, query string }{
			{"/api/v1/reports/needs", ""}, {"/api/v1/reports/needs", "?by=site&period=week"}, {"/api/v1/reports/priorities", "?setting=urban"},
			{"/api/v1/reports/strengths", "?period=quarter"}, {"/api/v1/reports/participation", ""}, {"/api/v1/reports/channels", ""}, {"/api/v1/reports/about", ""},
			{"/api/v1/reports/sessions", ""}, {"/api/v1/reports/proposals", "?site_id=" + o.Site.ID},
		} {
			r := s.do("GET", tc.path+tc.query, nil, bearer...)
			wantStatus(t, r, http.StatusOK)
			matchSchema(t, schemaFor(t, c, "get", tc.path, "200", "application/json"), r, tc.path+tc.query)
		}
		r = s.do("GET", "/api/v1/reports/needs?period=fortnight", nil, bearer...)
		wantStatus(t, r, http.StatusBadRequest)
		matchSchema(t, schemaFor(t, c, "", "", "BadRequest", "application/json"), r, "a refused filter")
	})
}

// closed copies a document, making every object schema that lists its
// properties refuse others: a field the API returns but the document
// does not describe fails the test (clients may still ignore new ones).
func closed(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x)+1)
		for k, val := range x {
			out[k] = closed(val)
		}
		if props, ok := x["properties"].(map[string]any); ok && len(props) > 0 && x["additionalProperties"] == nil {
			out["additionalProperties"] = false
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = closed(val)
		}
		return out
	}
	return v
}

func matchSchema(t *testing.T, sch *jsonschema.Schema, r response, what string) {
	t.Helper()
	body, err := jsonschema.UnmarshalJSON(bytes.NewReader(r.Body.Bytes()))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := sch.Validate(body); err != nil {
		t.Errorf("%s does not match docs/openapi.yaml: %v\n%s", what, err, r.Body.String())
	}
}
