package store

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/chorus-hr/chorus/models"
)

// A codebook's versions are read from its codes' history: every code
// version written (a code added or edited) and every removal is a change,
// and the changes made in the same second (one command: the default
// codebook, an import, a removal that moves subcodes up) are one version
// of the codebook. Version n is the codebook after its first n versions'
// changes; version 0 is the empty codebook.

// Kinds of codebook change.
const (
	CodeAdded   = "added"
	CodeEdited  = "edited"
	CodeRemoved = "removed"
)

// CodebookChange is one code added, edited (to its version Version) or
// removed, named as it read then.
type CodebookChange struct {
	CodeID  string      `json:"code_id"`
	Kind    string      `json:"kind"`
	Version int         `json:"version"`
	Name    models.Text `json:"name"`
}

// CodebookVersion is one version of a codebook: when, and what changed.
type CodebookVersion struct {
	Number  int              `json:"number"`
	At      time.Time        `json:"at"`
	Changes []CodebookChange `json:"changes"`
}

// CodeState is a code as one version of its codebook holds it.
type CodeState struct {
	CodeID     string      `json:"code_id"`
	Version    int         `json:"version"`
	ParentID   *string     `json:"parent_id"`
	Name       models.Text `json:"name"`
	Definition models.Text `json:"definition"`
	Inclusion  models.Text `json:"inclusion"`
	Exclusion  models.Text `json:"exclusion"`
	Example    models.Text `json:"example"`
	Colour     string      `json:"colour"`
}

// CodeDifference is a code in both versions compared, with the fields
// that differ (name, definition, inclusion, exclusion, example, colour,
// parent).
type CodeDifference struct {
	Before CodeState `json:"before"`
	After  CodeState `json:"after"`
	Fields []string  `json:"fields"`
}

// CodebookDiff is what changed from one version of a codebook to another.
type CodebookDiff struct {
	From    int              `json:"from"`
	To      int              `json:"to"`
	Latest  int              `json:"latest"`
	Added   []CodeState      `json:"added"`
	Removed []CodeState      `json:"removed"`
	Changed []CodeDifference `json:"changed"`
}

// codeEvent is one change with the code's state after it (nil: removed).
type codeEvent struct {
	at     time.Time
	change CodebookChange
	state  *CodeState
	order  int
}

// codebookEvents reads every change to a codebook's codes, in order.
func (s *Store) codebookEvents(ctx context.Context, orgID, codebookID string) ([]codeEvent, error) {
	if _, err := s.Codebook(ctx, orgID, codebookID); err != nil {
		return nil, err
	}
	var codes []models.Code
	if err := s.conn(ctx).Where("organization_id = ? AND codebook_id = ?", orgID, codebookID).Find(&codes).Error; err != nil {
		return nil, translate(err, "codebook codes")
	}
	ids := make([]string, len(codes))
	position := map[string]int{}
	for i, c := range codes {
		ids[i] = c.ID
		position[c.ID] = c.Position
	}
	var versions []models.CodeVersion
	if len(ids) > 0 {
		if err := s.conn(ctx).Where("code_id IN ?", ids).Order("created_at, code_id, version").Find(&versions).Error; err != nil {
			return nil, translate(err, "code versions")
		}
	}
	var events []codeEvent
	names := map[string]models.Text{}
	for _, v := range versions {
		kind := CodeEdited
		if v.Version == 1 {
			kind = CodeAdded
		}
		names[v.CodeID] = v.Name
		state := CodeState{CodeID: v.CodeID, Version: v.Version, ParentID: v.ParentID, Name: v.Name, Definition: v.Definition,
			Inclusion: v.Inclusion, Exclusion: v.Exclusion, Example: v.Example, Colour: v.Colour}
		events = append(events, codeEvent{at: v.CreatedAt, change: CodebookChange{CodeID: v.CodeID, Kind: kind, Version: v.Version, Name: v.Name},
			state: &state, order: position[v.CodeID]})
	}
	for _, c := range codes {
		if c.RemovedAt != nil {
			events = append(events, codeEvent{at: *c.RemovedAt, order: c.Position,
				change: CodebookChange{CodeID: c.ID, Kind: CodeRemoved, Version: c.CurrentVersion, Name: names[c.ID]}})
		}
	}
	// A removal sorts after the edits of the same moment (the subcodes it
	// moved up).
	slices.SortStableFunc(events, func(a, b codeEvent) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		if (a.state == nil) != (b.state == nil) {
			if a.state == nil {
				return 1
			}
			return -1
		}
		return a.order - b.order
	})
	return events, nil
}

// versionsOf groups events made in the same second into versions.
func versionsOf(events []codeEvent) [][]codeEvent {
	var out [][]codeEvent
	for _, e := range events {
		if n := len(out); n > 0 && out[n-1][0].at.Truncate(time.Second).Equal(e.at.Truncate(time.Second)) {
			out[n-1] = append(out[n-1], e)
			continue
		}
		out = append(out, []codeEvent{e})
	}
	return out
}

// CodebookVersions lists a codebook's versions, oldest first.
func (s *Store) CodebookVersions(ctx context.Context, orgID, codebookID string) ([]CodebookVersion, error) {
	events, err := s.codebookEvents(ctx, orgID, codebookID)
	if err != nil {
		return nil, err
	}
	out := []CodebookVersion{}
	for i, group := range versionsOf(events) {
		v := CodebookVersion{Number: i + 1, At: group[0].at.UTC().Truncate(time.Second)}
		for _, e := range group {
			v.Changes = append(v.Changes, e.change)
		}
		out = append(out, v)
	}
	return out, nil
}

// stateAt is the codebook's codes after its first n versions.
func stateAt(groups [][]codeEvent, n int) map[string]CodeState {
	out := map[string]CodeState{}
	for _, group := range groups[:n] {
		for _, e := range group {
			if e.state == nil {
				delete(out, e.change.CodeID)
			} else {
				out[e.change.CodeID] = *e.state
			}
		}
	}
	return out
}

// CodebookDiff compares two versions of a codebook (0 is the empty
// codebook; to may be before from, to read a change backwards).
func (s *Store) CodebookDiff(ctx context.Context, orgID, codebookID string, from, to int) (CodebookDiff, error) {
	events, err := s.codebookEvents(ctx, orgID, codebookID)
	if err != nil {
		return CodebookDiff{}, err
	}
	groups := versionsOf(events)
	for _, v := range []struct {
		field string
		n     int
	}{{"from", from}, {"to", to}} {
		if v.n < 0 || v.n > len(groups) {
			return CodebookDiff{}, invalid(v.field, "must be a version of the codebook, 0 to "+strconv.Itoa(len(groups)))
		}
	}
	before, after := stateAt(groups, from), stateAt(groups, to)
	out := CodebookDiff{From: from, To: to, Latest: len(groups), Added: []CodeState{}, Removed: []CodeState{}, Changed: []CodeDifference{}}
	// In the order the codes were first written.
	var order []string
	for _, e := range events {
		if !slices.Contains(order, e.change.CodeID) {
			order = append(order, e.change.CodeID)
		}
	}
	for _, id := range order {
		b, inBefore := before[id]
		a, inAfter := after[id]
		switch {
		case inBefore && !inAfter:
			out.Removed = append(out.Removed, b)
		case !inBefore && inAfter:
			out.Added = append(out.Added, a)
		case inBefore && inAfter:
			if fields := changedFields(b, a); len(fields) > 0 {
				out.Changed = append(out.Changed, CodeDifference{Before: b, After: a, Fields: fields})
			}
		}
	}
	return out, nil
}

// changedFields names what differs between two states of a code.
func changedFields(b, a CodeState) []string {
	var out []string
	for _, f := range []struct {
		name string
		b, a models.Text
	}{{"name", b.Name, a.Name}, {"definition", b.Definition, a.Definition}, {"inclusion", b.Inclusion, a.Inclusion},
		{"exclusion", b.Exclusion, a.Exclusion}, {"example", b.Example, a.Example}} {
		if !maps.Equal(nonEmpty(f.b), nonEmpty(f.a)) {
			out = append(out, f.name)
		}
	}
	if b.Colour != a.Colour {
		out = append(out, "colour")
	}
	if (b.ParentID == nil) != (a.ParentID == nil) || (b.ParentID != nil && *b.ParentID != *a.ParentID) {
		out = append(out, "parent")
	}
	return out
}

// nonEmpty drops empty translations: {"en": ""} says what {} says.
func nonEmpty(t models.Text) models.Text {
	out := models.Text{}
	for k, v := range t {
		if v != "" {
			out[k] = v
		}
	}
	return out
}
