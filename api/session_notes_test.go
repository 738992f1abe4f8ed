package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// notesTeam is a research team whose facilitator has run a meeting.
type notesTeam struct {
	*researchTeam
	facilitator caller
	sessionID   string
}

// newNotesTeam starts a meeting at 22:00 in New York on 25 November,
// which is already the 26th in UTC: its notes must keep the site's day.
func newNotesTeam(t *testing.T, db *database.DB) *notesTeam {
	t.Helper()
	rt := newResearchTeam(t, db)
	rt.s.clock.Advance(12 * time.Hour) // 2026-11-26 03:00 UTC
	// Sign in again: twelve idle hours end a staff session.
	rt.admin = session(t, db, rt.s.store, rt.o.Users[models.RoleAdmin], rt.o.ID)
	rt.a = session(t, db, rt.s.store, rt.o.Users[models.RoleStaff], rt.o.ID)
	rt.b = session(t, db, rt.s.store, rt.o.SpareUser, rt.o.ID)
	nt := &notesTeam{researchTeam: rt, facilitator: session(t, db, rt.s.store, rt.o.Users[models.RoleFacilitator], rt.o.ID)}
	r := rt.s.as(nt.facilitator, "POST", "/api/v1/sessions", map[string]any{"site_id": rt.o.Site.ID, "title": "Tuesday circle", "language": "en"})
	wantStatus(t, r, http.StatusCreated)
	nt.sessionID = decoded[models.LiveSession](t, r).ID
	return nt
}

func (nt *notesTeam) save(text string) response {
	return nt.s.as(nt.facilitator, "PUT", "/api/v1/sessions/"+nt.sessionID+"/notes", map[string]any{"text": text})
}

// notesExcerpts lists the notes a coder sees in the workspace.
func (nt *notesTeam) notesExcerpts(t *testing.T) []store.ExcerptView {
	t.Helper()
	r := nt.s.as(nt.a, "GET", "/api/v1/research/excerpts?kind=notes", nil)
	wantStatus(t, r, http.StatusOK)
	return decoded[struct{ Excerpts []store.ExcerptView }](t, r).Excerpts
}

func TestSessionNotesAreStoredScrubbedAsAnExcerpt(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		nt := newNotesTeam(t, db)
		text := "People talked about sharing naloxone.\nOne person said: call me at (503) 555-0142 or ana.r@example.com."
		r := nt.save(text)
		wantStatus(t, r, http.StatusOK)
		got := decoded[NotesSaved](t, r)
		if got.Removed != 2 || strings.Contains(got.Notes.Text, "555") || strings.Contains(got.Notes.Text, "example.com") ||
			!strings.Contains(got.Notes.Text, "sharing naloxone") {
			t.Fatalf("saved %q, removed %d; want the phone number and address gone, the rest kept", got.Notes.Text, got.Removed)
		}
		// Nothing in the database holds the original.
		var bodies []string
		if err := db.Model(&models.ResearchExcerpt{}).Where("body IS NOT NULL").Pluck("body", &bodies).Error; err != nil {
			t.Fatal(err)
		}
		for _, b := range bodies {
			if strings.Contains(b, "555-0142") || strings.Contains(b, "ana.r@") {
				t.Fatalf("the database holds the original: %q", b)
			}
		}
		// The audit row says what happened, not what was written.
		var ev models.AuditEvent
		if err := db.Where("action = ?", store.AuditNotesSaved).First(&ev).Error; err != nil || ev.Detail["removed"] != "2" {
			t.Fatalf("audit %+v, %v", ev, err)
		}
		for k, v := range ev.Detail {
			if strings.Contains(v, "naloxone") {
				t.Errorf("audit detail %s holds the text: %q", k, v)
			}
		}
		// A coder finds them under the source kind 'notes', with the
		// session's site, its day at the site and its title.
		list := nt.notesExcerpts(t)
		if len(list) != 1 {
			t.Fatalf("coder sees %d notes, want 1", len(list))
		}
		ex := list[0]
		if ex.Kind != models.ExcerptNotes || ex.SiteID != nt.o.Site.ID || ex.Day.String() != "2026-11-25" || ex.Title != "Tuesday circle" {
			t.Fatalf("excerpt %+v; want notes of the Storefront on 2026-11-25 titled Tuesday circle", ex)
		}
		if got.Notes.ExcerptID == nil || *got.Notes.ExcerptID != ex.ID {
			t.Errorf("saved notes name excerpt %v, the workspace %s", got.Notes.ExcerptID, ex.ID)
		}
		whole := decoded[ExcerptDetail](t, nt.s.as(nt.a, "GET", "/api/v1/research/excerpts/"+ex.ID, nil))
		if whole.Text != got.Notes.Text {
			t.Errorf("workspace text %q, saved %q", whole.Text, got.Notes.Text)
		}
		// Other kinds do not list them; all kinds do.
		for query, want := range map[string]int{"kind=transcript": 0, "kind=kiosk": 0, "": 1} {
			all := decoded[struct{ Total int64 }](t, nt.s.as(nt.a, "GET", "/api/v1/research/excerpts?"+query, nil))
			if all.Total != int64(want) {
				t.Errorf("excerpts?%s: %d, want %d", query, all.Total, want)
			}
		}
		// The facilitator reads back the scrubbed text.
		back := decoded[store.SessionNotes](t, nt.s.as(nt.facilitator, "GET", "/api/v1/sessions/"+nt.sessionID+"/notes", nil))
		if back.Text != got.Notes.Text || back.Locked {
			t.Errorf("read back %+v", back)
		}
	})
}

func TestSessionNotesEditUntilCoded(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		nt := newNotesTeam(t, db)
		wantStatus(t, nt.save("First draft."), http.StatusOK)
		first := nt.notesExcerpts(t)[0]
		// Before anyone codes them, notes change in place: one excerpt,
		// the same one, with the new text (also after the meeting ends).
		wantStatus(t, nt.s.as(nt.facilitator, "POST", "/api/v1/sessions/"+nt.sessionID+"/end", map[string]any{}), http.StatusOK)
		wantStatus(t, nt.save("People want new supplies at the van."), http.StatusOK)
		list := nt.notesExcerpts(t)
		if len(list) != 1 || list[0].ID != first.ID || list[0].Text != "People want new supplies at the van." {
			t.Fatalf("after an edit the workspace has %+v", list)
		}
		// A coder codes "new supplies" (characters 12 to 24).
		wantStatus(t, nt.s.as(nt.a, "POST", "/api/v1/research/excerpts/"+first.ID+"/codings",
			map[string]any{"code_id": nt.codes[2].ID, "start": 12, "end": 24}), http.StatusCreated)
		// Now any change would move the text under the coding: refused,
		// nothing changed, and the notes say they are locked.
		for _, text := range []string{"People want sterile supplies at the van.", "", "   "} {
			r := nt.save(text)
			wantStatus(t, r, http.StatusConflict)
			if e := r.errorBody(t); e.Code != "notes_coded" {
				t.Errorf("%q: error %+v, want notes_coded", text, e)
			}
		}
		whole := decoded[ExcerptDetail](t, nt.s.as(nt.a, "GET", "/api/v1/research/excerpts/"+first.ID, nil))
		if got := string([]rune(whole.Text)[12:24]); got != "new supplies" {
			t.Errorf("the coded span now reads %q, want %q", got, "new supplies")
		}
		// Saving the same text again changes nothing and is fine.
		r := nt.save("People want new supplies at the van.")
		wantStatus(t, r, http.StatusOK)
		if !decoded[NotesSaved](t, r).Notes.Locked {
			t.Error("coded notes are not shown as locked")
		}
		back := decoded[store.SessionNotes](t, nt.s.as(nt.facilitator, "GET", "/api/v1/sessions/"+nt.sessionID+"/notes", nil))
		if !back.Locked || back.Text != "People want new supplies at the van." {
			t.Errorf("read back %+v", back)
		}
	})
}

// A coder who submitted notes without giving a code judged that text:
// it must not change under them either.
func TestSessionNotesLockOnceSubmitted(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		nt := newNotesTeam(t, db)
		wantStatus(t, nt.save("Nothing to code here."), http.StatusOK)
		wantStatus(t, nt.s.as(nt.admin, "POST", "/api/v1/research/samples",
			map[string]any{"share_percent": 100, "seed": 1, "coder_ids": []string{nt.aID, nt.bID}}), http.StatusCreated)
		ex := nt.notesExcerpts(t)[0]
		// Assigned but not submitted: still editable.
		wantStatus(t, nt.save("Nothing to code here, really."), http.StatusOK)
		wantStatus(t, nt.s.as(nt.a, "POST", "/api/v1/research/excerpts/"+ex.ID+"/submit", map[string]any{}), http.StatusOK)
		wantStatus(t, nt.save("Changed after submitting."), http.StatusConflict)
	})
}

func TestSessionNotesBlankRemovesThem(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		nt := newNotesTeam(t, db)
		wantStatus(t, nt.save("Wrong meeting."), http.StatusOK)
		r := nt.save("  \n ")
		wantStatus(t, r, http.StatusOK)
		if got := decoded[NotesSaved](t, r).Notes; got.ExcerptID != nil || got.Text != "" {
			t.Errorf("blank notes saved as %+v", got)
		}
		if list := nt.notesExcerpts(t); len(list) != 0 {
			t.Errorf("removed notes still listed: %+v", list)
		}
	})
}

func TestSessionNotesRefusesBadInput(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		nt := newNotesTeam(t, db)
		path := "/api/v1/sessions/" + nt.sessionID + "/notes"
		long := strings.Repeat("a", store.MaxNotesRunes+1)
		for name, c := range map[string]struct {
			body  any
			code  int
			field string
		}{
			"too long":      {map[string]any{"text": long}, http.StatusBadRequest, "text"},
			"too long in é": {map[string]any{"text": strings.Repeat("é", store.MaxNotesRunes+1)}, http.StatusBadRequest, "text"},
			"unknown field": {map[string]any{"text": "ok", "original": "kept?"}, http.StatusBadRequest, "original"},
			"not text":      {map[string]any{"text": 5}, http.StatusBadRequest, "text"},
			"over 1 MB":     {map[string]any{"text": strings.Repeat("b", MaxBodyBytes)}, http.StatusRequestEntityTooLarge, ""},
		} {
			r := nt.s.as(nt.facilitator, "PUT", path, c.body)
			wantStatus(t, r, c.code)
			if e := r.errorBody(t); c.field != "" && e.Fields[c.field] == "" {
				t.Errorf("%s: error %+v does not name %s", name, e, c.field)
			}
		}
		// Exactly at the limit is fine.
		wantStatus(t, nt.save(strings.Repeat("é", store.MaxNotesRunes)), http.StatusOK)
		wantStatus(t, nt.save(""), http.StatusOK)
		var n int64
		if err := db.Model(&models.ResearchExcerpt{}).Where("kind = ?", models.ExcerptNotes).Count(&n).Error; err != nil || n != 0 {
			t.Errorf("%d notes stored after refusals, %v", n, err)
		}
		var audits int64
		if err := db.Model(&models.AuditEvent{}).Where("action = ?", store.AuditNotesSaved).Count(&audits).Error; err != nil || audits != 2 {
			t.Errorf("%d audit rows, want 2 (the two saves that worked), %v", audits, err)
		}
	})
}

// Facilitators, staff and admins write a session's notes; coders read them
// through the workspace; policymakers never see them, and another
// organization's members cannot tell the session exists.
func TestSessionNotesPermissions(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		nt := newNotesTeam(t, db)
		path := "/api/v1/sessions/" + nt.sessionID + "/notes"
		wantStatus(t, nt.save("Shared notes."), http.StatusOK)
		o := nt.o
		for _, role := range []models.Role{models.RoleAdmin, models.RoleStaff, models.RoleFacilitator} {
			c := session(t, db, nt.s.store, o.Users[role], o.ID)
			wantStatus(t, nt.s.as(c, "GET", path, nil), http.StatusOK)
		}
		policymaker := session(t, db, nt.s.store, o.Users[models.RolePolicymaker], o.ID)
		wantStatus(t, nt.s.as(policymaker, "GET", path, nil), http.StatusForbidden)
		wantStatus(t, nt.s.as(policymaker, "PUT", path, map[string]any{"text": "mine"}), http.StatusForbidden)
		wantStatus(t, nt.s.as(policymaker, "GET", "/api/v1/research/excerpts?kind=notes", nil), http.StatusForbidden)
		// A facilitator writes notes but is no coder: the workspace is closed.
		wantStatus(t, nt.s.as(nt.facilitator, "GET", "/api/v1/research/excerpts?kind=notes", nil), http.StatusForbidden)
		wantStatus(t, nt.s.as(anonymous, "PUT", path, map[string]any{"text": "x"}), http.StatusUnauthorized)

		other := newOrg(t, nt.s.store, "Other Program")
		stranger := session(t, db, nt.s.store, other.Users[models.RoleFacilitator], other.ID)
		wantStatus(t, nt.s.as(stranger, "GET", path, nil), http.StatusNotFound)
		wantStatus(t, nt.s.as(stranger, "PUT", path, map[string]any{"text": "overwritten"}), http.StatusNotFound)
		wantStatus(t, nt.s.as(nt.facilitator, "PUT", "/api/v1/sessions/"+models.NewID()+"/notes", map[string]any{"text": "x"}), http.StatusNotFound)
		wantStatus(t, nt.s.as(nt.facilitator, "PUT", "/api/v1/sessions/not-an-id/notes", map[string]any{"text": "x"}), http.StatusNotFound)
		if list := nt.notesExcerpts(t); len(list) != 1 || list[0].Text != "Shared notes." {
			t.Errorf("after the refusals the notes are %+v", list)
		}
		// Notes are no quotable exemplar: nothing records consent.
		r := nt.s.as(nt.admin, "POST", "/api/v1/research/findings", map[string]any{
			"statement_en": "People share supplies.", "statement_es": "La gente comparte material.",
			"code_ids": []string{nt.codes[2].ID}, "excerpt_ids": []string{nt.notesExcerpts(t)[0].ID}})
		wantStatus(t, r, http.StatusBadRequest)
		if e := r.errorBody(t); !strings.Contains(e.Fields["excerpt_ids"], "may not be quoted") {
			t.Errorf("notes as an exemplar: %+v", e)
		}
	})
}

// The notes' answers are what docs/openapi.yaml describes, field for
// field, before and after notes exist.
func TestOpenAPIDescribesSessionNotes(t *testing.T) {
	doc := openAPI(t)
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		c := jsonschema.NewCompiler()
		if err := c.AddResource("openapi.json", closed(doc)); err != nil {
			t.Fatal(err)
		}
		nt := newNotesTeam(t, db)
		route := "/api/v1/sessions/{id}/notes"
		path := "/api/v1/sessions/" + nt.sessionID + "/notes"
		get := func() {
			r := nt.s.as(nt.facilitator, "GET", path, nil)
			wantStatus(t, r, http.StatusOK)
			matchSchema(t, schemaFor(t, c, "get", route, "200", "application/json"), r, "GET "+path)
		}
		get()
		r := nt.save("We talked about the van. Call 503-555-0142.")
		wantStatus(t, r, http.StatusOK)
		matchSchema(t, schemaFor(t, c, "put", route, "200", "application/json"), r, "PUT "+path)
		get()
		check := nt.s.as(nt.a, "GET", "/api/v1/research/excerpts?kind=notes", nil)
		wantStatus(t, check, http.StatusOK)
		matchSchema(t, schemaFor(t, c, "get", "/api/v1/research/excerpts", "200", "application/json"), check, "GET excerpts?kind=notes")
	})
}

// Coded notes leave in the .qdpx like any other text, scrubbed, with
// their title, site and day, and the project still validates.
func TestSessionNotesInTheProjectExport(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		nt := newNotesTeam(t, db)
		wantStatus(t, nt.save("Peers <carry> naloxone & share it. Call 503-555-0142."), http.StatusOK)
		ex := nt.notesExcerpts(t)[0].ID
		wantStatus(t, nt.s.as(nt.a, "POST", "/api/v1/research/excerpts/"+ex+"/codings",
			map[string]any{"code_id": nt.codes[1].ID, "start": 0, "end": 5}), http.StatusCreated)
		r := nt.s.as(nt.admin, "GET", "/api/v1/research/export/qdpx", nil)
		wantStatus(t, r, http.StatusOK)
		qde := projectQDE(t, r.Body.Bytes())
		doc := string(qde)
		for _, want := range []string{"Tuesday circle", "Peers &lt;carry&gt; naloxone &amp; share it.", "2026-11-25", "Storefront", `startPosition="0" endPosition="5"`} {
			if !strings.Contains(doc, want) {
				t.Errorf("project.qde lacks %q", want)
			}
		}
		if strings.Contains(doc, "555-0142") {
			t.Error("project.qde holds the phone number")
		}
		xmllintSchema(t, "Project-mrt2019.xsd", qde) // last: it skips without xmllint
	})
}

// waitForLockWait waits until a statement on research_excerpts or codings
// waits for a row lock, or fails after a deadline.
func waitForLockWait(t *testing.T, db *database.DB) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int64
		err := db.Raw(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock' AND (query ILIKE '%research_excerpts%' OR query ILIKE '%codings%')`).Scan(&waiting).Error
		if err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("nothing waited for the row lock")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// An edit of the notes and a coding at the same moment (PostgreSQL; SQLite
// runs one writer at a time). A transaction stands in for the one that
// comes first, holding the row as the real one does.
func TestSessionNotesEditAndCodingAtOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		if db.Dialect != database.Postgres {
			t.Skip("SQLite runs one writer at a time")
		}
		nt := newNotesTeam(t, db)
		wantStatus(t, nt.save("Peers carry naloxone and share it with friends."), http.StatusOK)
		ex := nt.notesExcerpts(t)[0].ID
		codings := "/api/v1/research/excerpts/" + ex + "/codings"

		// The edit first: the coding waits, then checks its span against
		// the edited text, where it no longer fits.
		edit := db.Begin()
		if err := edit.Exec("SELECT id FROM research_excerpts WHERE id = ? FOR UPDATE", ex).Error; err != nil {
			t.Fatal(err)
		}
		coded := make(chan response, 1)
		go func() {
			coded <- nt.s.as(nt.a, "POST", codings, map[string]any{"code_id": nt.codes[1].ID, "start": 30, "end": 40})
		}()
		waitForLockWait(t, db)
		if err := edit.Exec("UPDATE research_excerpts SET body = 'Short now.' WHERE id = ?", ex).Commit().Error; err != nil {
			t.Fatal(err)
		}
		r := <-coded
		wantStatus(t, r, http.StatusBadRequest)
		if e := r.errorBody(t); e.Fields["span"] == "" {
			t.Errorf("coding past the edited text: %+v", e)
		}

		// The coding first: the save waits for it, sees it and changes nothing.
		coding := db.Begin()
		if err := coding.Exec("SELECT id FROM research_excerpts WHERE id = ? FOR SHARE", ex).Error; err != nil {
			t.Fatal(err)
		}
		err := coding.Exec(`INSERT INTO codings (id, organization_id, excerpt_id, code_id, code_version_id, coder_id, span_start, span_end)
			VALUES (?, ?, ?, ?, ?, ?, 0, 5)`, models.NewID(), nt.o.ID, ex, nt.codes[1].ID, nt.codes[1].VersionID, nt.aID).Error
		if err != nil {
			t.Fatal(err)
		}
		saved := make(chan response, 1)
		go func() { saved <- nt.save("Something else entirely.") }()
		waitForLockWait(t, db)
		if err := coding.Commit().Error; err != nil {
			t.Fatal(err)
		}
		wantStatus(t, <-saved, http.StatusConflict)
		if got := nt.notesExcerpts(t)[0].Text; got != "Short now." {
			t.Errorf("the coded notes now read %q", got)
		}
	})
}
