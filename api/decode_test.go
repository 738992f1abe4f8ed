package api

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type sample struct {
	Name  string   `json:"name" validate:"required,max=10"`
	Count int      `json:"count" validate:"gte=0,lte=5"`
	Tags  []string `json:"tags" validate:"max=2"`
	Kind  string   `json:"kind" validate:"omitempty,oneof=fixed mobile"`
}

func decodeBody(t *testing.T, contentType, body string) (sample, *Error) {
	t.Helper()
	req := httptest.NewRequest("POST", "/", strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Body = http.MaxBytesReader(httptest.NewRecorder(), req.Body, MaxBodyBytes)
	var s sample
	err := decodeJSON(req, &s)
	if err == nil {
		return s, nil
	}
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("decodeJSON returned %T %v, want *Error", err, err)
	}
	return s, apiErr
}

func TestDecodeJSON(t *testing.T) {
	huge := `{"name":"` + strings.Repeat("a", MaxBodyBytes) + `"}`
	tests := []struct {
		name, contentType, body string
		status                  int
		code                    string
		field, reason           string
	}{
		{"valid", "application/json", `{"name":"van","count":2,"tags":["a"],"kind":"mobile"}`, 0, "", "", ""},
		{"charset parameter", "application/json; charset=utf-8", `{"name":"van"}`, 0, "", "", ""},
		{"form post", "application/x-www-form-urlencoded", `name=van`, 415, CodeUnsupportedMedia, "", ""},
		{"no content type", "", `{"name":"van"}`, 415, CodeUnsupportedMedia, "", ""},
		{"empty", "application/json", ``, 400, CodeInvalidJSON, "", ""},
		{"syntax", "application/json", `{"name":`, 400, CodeInvalidJSON, "", ""},
		{"not an object", "application/json", `[1,2]`, 400, CodeInvalidJSON, "", ""},
		{"unknown field", "application/json", `{"name":"van","ip":"1.2.3.4"}`, 400, CodeInvalidInput, "ip", "is not a known field"},
		{"wrong type", "application/json", `{"name":"van","count":"two"}`, 400, CodeInvalidInput, "count", "must be a whole number"},
		{"two values", "application/json", `{"name":"van"}{"name":"car"}`, 400, CodeInvalidJSON, "", ""},
		{"missing required", "application/json", `{"count":1}`, 400, CodeInvalidInput, "name", "is required"},
		{"too long", "application/json", `{"name":"abcdefghijk"}`, 400, CodeInvalidInput, "name", "must be at most 10 characters"},
		{"too many items", "application/json", `{"name":"a","tags":["a","b","c"]}`, 400, CodeInvalidInput, "tags", "must be at most 2 items"},
		{"out of range", "application/json", `{"name":"a","count":9}`, 400, CodeInvalidInput, "count", "must be at most 5"},
		{"not one of", "application/json", `{"name":"a","kind":"boat"}`, 400, CodeInvalidInput, "kind", "must be one of: fixed, mobile"},
		{"oversized", "application/json", huge, 413, CodeTooLarge, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeBody(t, tt.contentType, tt.body)
			if tt.status == 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want %d %s, got no error", tt.status, tt.code)
			}
			if err.Status != tt.status || err.Code != tt.code {
				t.Fatalf("got %d %s (%s), want %d %s", err.Status, err.Code, err.Message, tt.status, tt.code)
			}
			if tt.field != "" && err.Fields[tt.field] != tt.reason {
				t.Fatalf("fields %v, want %s: %q", err.Fields, tt.field, tt.reason)
			}
		})
	}
}

// FuzzDecodeStrict feeds arbitrary bytes to the strict decoder and the
// validator: they must never panic, and anything they reject must be an
// *Error with a 4xx status.
func FuzzDecodeStrict(f *testing.F) {
	for _, seed := range []string{`{"name":"van","count":2}`, `{`, `[]`, `{"name":"a","x":1}`, `null`, `{"tags":[null]}`, "\x00"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s sample
		err := decodeStrict(bytes.NewReader(data), &s)
		if err == nil {
			err = validateStruct(&s)
		}
		if err == nil {
			return
		}
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.Status < 400 || apiErr.Status > 499 {
			t.Fatalf("input %q: got %v, want a 4xx *Error", data, err)
		}
	})
}

// FuzzDecodeRequests runs every request type the API decodes through the
// strict decoder and validator: no input may panic, and every refusal must
// be a 4xx *Error.
func FuzzDecodeRequests(f *testing.F) {
	for _, seed := range []string{
		`{"email":"a@b.c","password":"pw"}`,
		`{"name":"Van","kind":"mobile","setting":"rural","time_zone":"America/Chicago"}`,
		`{"site_id":"x","name":"Tablet"}`, `{"code":"ABCD-EFGH"}`, `{"email":"x@y.z","role":"staff"}`,
		`{"language":"en","needs":["food"],"priorities":["food"],"strengths":[],"text":"hi","about":{"age_band":"25_34"}}`,
		`{"items":[{"idempotency_key":"k","submission":{"language":"en"}}]}`,
		`{"min_cell":11}`, `{"about":{"":""}}`, `{"needs":[null]}`, `{"text":"\ud800"}`,
	} {
		f.Add([]byte(seed))
	}
	targets := []func() any{
		func() any { return &signInRequest{} },
		func() any { return &changePasswordRequest{} },
		func() any { return &siteRequest{} },
		func() any { return &createKioskRequest{} },
		func() any { return &enrollRequest{} },
		func() any { return &addUserRequest{} },
		func() any { return &setRoleRequest{} },
		func() any { return &createTokenRequest{} },
		func() any { return &organizationRequest{} },
		func() any { return &submissionRequest{} },
		func() any { return &batchRequest{} },
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, target := range targets {
			dst := target()
			err := decodeStrict(bytes.NewReader(data), dst)
			if err == nil {
				err = validateStruct(dst)
			}
			if err == nil {
				continue
			}
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.Status < 400 || apiErr.Status > 499 {
				t.Fatalf("%T on %q: got %v, want a 4xx *Error", dst, data, err)
			}
		}
	})
}
