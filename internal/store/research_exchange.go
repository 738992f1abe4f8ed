package store

import (
	"context"
	"strings"

	"github.com/chorus-hr/chorus/internal/research/refiqda"
	"github.com/chorus-hr/chorus/models"
)

// REFI-QDA gives a code one name and one description; Chorus's inclusion,
// exclusion and example notes travel in the description as labelled
// paragraphs, and come back apart on import.
var descriptionLabels = []struct{ label, field string }{
	{"Include: ", "inclusion"}, {"Exclude: ", "exclusion"}, {"Example: ", "example"},
}

func describe(c CodeView, lang string) string {
	parts := []string{}
	if d := c.Definition.In(lang); d != "" {
		parts = append(parts, d)
	}
	for _, l := range descriptionLabels {
		text := map[string]models.Text{"inclusion": c.Inclusion, "exclusion": c.Exclusion, "example": c.Example}[l.field].In(lang)
		if text != "" {
			parts = append(parts, l.label+text)
		}
	}
	return strings.Join(parts, "\n\n")
}

func undescribe(description, lang string, in *CodeInput) {
	in.Definition, in.Inclusion, in.Exclusion, in.Example = models.Text{}, models.Text{}, models.Text{}, models.Text{}
	fields := map[string]models.Text{"inclusion": in.Inclusion, "exclusion": in.Exclusion, "example": in.Example}
	var definition []string
	for _, para := range strings.Split(strings.ReplaceAll(description, "\r\n", "\n"), "\n\n") {
		matched := false
		for _, l := range descriptionLabels {
			if rest, ok := strings.CutPrefix(para, l.label); ok {
				fields[l.field][lang] = rest
				matched = true
			}
		}
		if !matched && strings.TrimSpace(para) != "" {
			definition = append(definition, para)
		}
	}
	if len(definition) > 0 {
		in.Definition[lang] = strings.Join(definition, "\n\n")
	}
}

// codeTree nests a codebook's codes for exchange, in their order.
func codeTree(codes []CodeView, lang string) []refiqda.Code {
	known := map[string]bool{}
	for _, c := range codes {
		known[c.ID] = true
	}
	var build func(parent string) []refiqda.Code
	build = func(parent string) []refiqda.Code {
		var out []refiqda.Code
		for _, c := range codes {
			p := ""
			if c.ParentID != nil && known[*c.ParentID] {
				p = *c.ParentID
			}
			if p == parent {
				out = append(out, refiqda.Code{GUID: c.ID, Name: c.Name.In(lang), Description: describe(c, lang), Color: c.Colour, Children: build(c.ID)})
			}
		}
		return out
	}
	return build("")
}

// ExportCodebook returns a codebook's codes as REFI-QDA codes, in lang.
func (s *Store) ExportCodebook(ctx context.Context, orgID, codebookID, lang string) (models.Codebook, []refiqda.Code, error) {
	cb, err := s.Codebook(ctx, orgID, codebookID)
	if err != nil {
		return cb, nil, err
	}
	codes, err := s.Codes(ctx, orgID, cb.ID)
	if err != nil {
		return cb, nil, err
	}
	if len(codes) == 0 {
		return cb, nil, invalid("codebook", "has no codes to export")
	}
	return cb, codeTree(codes, lang), nil
}

// defaultColour is given to an imported code that has none.
const defaultColour = "#767676"

// ImportCodebook stores a codebook read from a REFI-QDA file as a new
// codebook named name, its names and notes in lang. Nothing is stored if
// any code is refused.
func (a Actor) ImportCodebook(ctx context.Context, orgID, name, lang string, codes []refiqda.Code) (models.Codebook, error) {
	cb := models.Codebook{ID: models.NewID(), OrganizationID: orgID, Name: models.Text{lang: strings.TrimSpace(name)}, CreatedAt: a.s.now()}
	if lang != "en" && lang != "es" {
		return cb, invalid("lang", "must be en or es")
	}
	if cb.Name[lang] == "" || len([]rune(cb.Name[lang])) > 200 {
		return cb, invalid("name", "must be 1 to 200 characters")
	}
	count := 0
	err := a.s.InTx(ctx, func(ctx context.Context) error {
		if err := a.s.conn(ctx).Create(&cb).Error; err != nil {
			return translate(err, "create codebook")
		}
		var add func(parent *string, list []refiqda.Code) error
		add = func(parent *string, list []refiqda.Code) error {
			for _, c := range list {
				in := CodeInput{ParentID: parent, Name: models.Text{lang: c.Name}, Colour: c.Color}
				if in.Colour == "" {
					in.Colour = defaultColour
				}
				undescribe(c.Description, lang, &in)
				made, err := a.s.addCode(ctx, orgID, cb.ID, in, a.userPtr())
				if err != nil {
					return err
				}
				count++
				if err := add(&made.ID, c.Children); err != nil {
					return err
				}
			}
			return nil
		}
		if err := add(nil, codes); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditCodebookImport, "codebook", cb.ID, models.Bands{"codes": strconvItoa(count)})
	})
	return cb, err
}

// ExportProject gathers the organization's research for a REFI-QDA
// project: every codebook's codes, every excerpt a coder may read (with
// its site and day as variables), the codings on them with their coders
// as users, and memos as notes. Codings of removed codes are left out, so
// every reference points at a code in the file.
func (s *Store) ExportProject(ctx context.Context, orgID, lang string) (refiqda.Project, error) {
	org, err := s.Organization(ctx, orgID)
	if err != nil {
		return refiqda.Project{}, err
	}
	p := refiqda.Project{Name: org.Name, Origin: "Chorus", Created: s.now(), CodeNotes: map[string][]string{},
		SiteGUID: models.NewID(), DayGUID: models.NewID()}
	books, err := s.Codebooks(ctx, orgID)
	if err != nil {
		return p, err
	}
	exported := map[string]bool{}
	for _, b := range books {
		codes, err := s.Codes(ctx, orgID, b.ID)
		if err != nil {
			return p, err
		}
		for _, c := range codes {
			exported[c.ID] = true
		}
		p.Codes = append(p.Codes, codeTree(codes, lang)...)
	}
	if err := s.SyncExcerpts(ctx, orgID); err != nil {
		return p, err
	}
	var excerpts []struct {
		ExcerptView
		SiteName string
	}
	err = s.excerpts(ctx, orgID, "").Select(excerptColumns + ", " + excerptBody + " AS text, sites.name AS site_name").
		Joins("JOIN sites ON sites.id = research_excerpts.site_id").
		Order("research_excerpts.day, research_excerpts.id").Scan(&excerpts).Error
	if err != nil {
		return p, translate(err, "export excerpts")
	}
	var codings []models.Coding
	if err := s.conn(ctx).Where("organization_id = ?", orgID).Order("created_at, id").Find(&codings).Error; err != nil {
		return p, translate(err, "export codings")
	}
	var memos []models.ResearchMemo
	if err := s.conn(ctx).Where("organization_id = ?", orgID).Order("created_at, id").Find(&memos).Error; err != nil {
		return p, translate(err, "export memos")
	}
	byExcerpt := map[string][]models.Coding{}
	coders := map[string]bool{}
	for _, c := range codings {
		if exported[c.CodeID] {
			byExcerpt[c.ExcerptID] = append(byExcerpt[c.ExcerptID], c)
			coders[c.CoderID] = true
		}
	}
	notesOf := map[string][]string{}
	for _, m := range memos {
		n := refiqda.Note{GUID: m.ID, Name: "Memo", Text: m.Body}
		if m.AuthorID != nil {
			n.UserGUID = *m.AuthorID
			coders[*m.AuthorID] = true
		}
		switch {
		case m.ExcerptID != nil:
			notesOf[*m.ExcerptID] = append(notesOf[*m.ExcerptID], m.ID)
		case m.CodeID != nil && exported[*m.CodeID]:
			p.CodeNotes[*m.CodeID] = append(p.CodeNotes[*m.CodeID], m.ID)
		default:
			continue
		}
		p.Notes = append(p.Notes, n)
	}
	for _, e := range excerpts {
		name := e.SiteName + " " + e.Day.String()
		if e.Title != "" {
			name += " " + e.Title
		}
		src := refiqda.Source{GUID: e.ID, Name: name, Text: e.Text, Site: e.SiteName, Day: e.Day.String(), NoteGUIDs: notesOf[e.ID]}
		for _, c := range byExcerpt[e.ID] {
			coding := refiqda.Coding{GUID: c.ID, CodeGUID: c.CodeID, UserGUID: c.CoderID}
			if c.SpanStart == nil {
				src.Whole = append(src.Whole, coding)
				continue
			}
			src.Selections = append(src.Selections, refiqda.Selection{GUID: models.NewID(), Start: *c.SpanStart, End: *c.SpanEnd, Codings: []refiqda.Coding{coding}})
		}
		p.Sources = append(p.Sources, src)
	}
	if len(coders) > 0 {
		ids := make([]string, 0, len(coders))
		for id := range coders {
			ids = append(ids, id)
		}
		var users []models.User
		if err := s.conn(ctx).Where("id IN ?", ids).Order("email").Find(&users).Error; err != nil {
			return p, translate(err, "export users")
		}
		for _, u := range users {
			p.Users = append(p.Users, refiqda.User{GUID: u.ID, Name: u.Email})
		}
	}
	return p, nil
}
