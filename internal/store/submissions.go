package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/models"
)

// ErrIdempotencyMismatch means an idempotency key was reused with a
// different request body.
var ErrIdempotencyMismatch = errors.New("idempotency key reused with a different request")

// SubmissionInput is a participant's answers as the kiosk sends them.
type SubmissionInput struct {
	Language   string
	Needs      []string
	Priorities []string
	Strengths  []string
	// Text is the participant's free text, already scrubbed of personal
	// identifiers by the caller.
	Text     string
	MayQuote bool
	About    map[string]string
	// Urgent lists the organization's urgent words found in Text; when
	// any are, staff get an alert in the same transaction.
	Urgent []string
	// Receipt is the code the participant was shown, if any.
	Receipt string
	// MemberCheck is the participant's answer to the finding the kiosk
	// asked about after their own feedback, if any (member checking).
	MemberCheck *MemberCheckAnswer
}

// Submitted is the outcome of Submit.
type Submitted struct {
	ID string
	// Replayed is true when the key had already been used with the same
	// request: nothing new was stored.
	Replayed bool
	// Day is the site-local day the submission is stored under.
	Day models.Day
}

// Categories returns an organization's active categories of a kind, in
// the order the kiosk shows them.
func (s *Store) Categories(ctx context.Context, orgID, kind string) ([]models.Category, error) {
	var out []models.Category
	err := s.conn(ctx).Where("organization_id = ? AND kind = ? AND active = ?", orgID, kind, true).Order("position, code").Find(&out).Error
	return out, translate(err, "categories")
}

// Source is where a submission comes from: an enrolled kiosk, or a site's
// poster on a person's own phone. It is read with the request's
// authentication, so storing a submission needs no query of its own.
type Source struct {
	OrganizationID string
	Site           models.Site
	// KioskID is the kiosk's id; "" for a channel without a device.
	KioskID string
	// Channel is models.ChannelKiosk or models.ChannelPhone.
	Channel string
	// UrgentWords are the organization's urgent words.
	UrgentWords models.Codes
	// categoriesVersion is the organization's categories_version when the
	// request was authenticated; Submit validates against the code sets of
	// that version or a later one.
	categoriesVersion int64
}

// Source is the kiosk as the source of a submission.
func (ka KioskAuth) Source() Source {
	return Source{OrganizationID: ka.Kiosk.OrganizationID, Site: ka.Site, KioskID: ka.Kiosk.ID, Channel: models.ChannelKiosk,
		UrgentWords: ka.UrgentWords, categoriesVersion: ka.categoriesVersion}
}

// validateSubmission checks codes against the organization's categories
// (as of src's categoriesVersion or later) and the fixed answer bands.
func (s *Store) validateSubmission(ctx context.Context, src Source, in SubmissionInput) error {
	codes, err := s.activeCodes(ctx, src.OrganizationID, src.categoriesVersion)
	if err != nil {
		return err
	}
	needSet, strengthSet := codes.needs, codes.strengths
	for i, code := range in.Needs {
		if !needSet[code] {
			return invalid(fmt.Sprintf("needs[%d]", i), "is not a need category of this program")
		}
	}
	for i, code := range in.Priorities {
		if !slices.Contains(in.Needs, code) {
			return invalid(fmt.Sprintf("priorities[%d]", i), "must be one of the chosen needs")
		}
	}
	for i, code := range in.Strengths {
		if !strengthSet[code] {
			return invalid(fmt.Sprintf("strengths[%d]", i), "is not a strength category of this program")
		}
	}
	for q, band := range in.About {
		bands, ok := catalog.About[q]
		if !ok {
			return invalid("about."+q, "is not a known question")
		}
		if !slices.Contains(bands, band) {
			return invalid("about."+q, "must be one of: "+strings.Join(bands, ", "))
		}
	}
	return nil
}

// Submit stores a kiosk submission exactly once per idempotency key; see
// SubmitFrom.
func (s *Store) Submit(ctx context.Context, ka KioskAuth, key string, requestHash []byte, in SubmissionInput) (Submitted, error) {
	return s.SubmitFrom(ctx, ka.Source(), key, requestHash, in)
}

// SubmitFrom stores a submission exactly once per idempotency key of its
// source (a kiosk's keys are its own; a phone's are unique per site).
// requestHash identifies the request body: the same key with the same hash
// returns the first submission's id (Replayed); with another hash it is
// ErrIdempotencyMismatch and nothing changes.
//
// The common case costs one statement: the INSERT, which finds a reused key
// itself (ON CONFLICT DO NOTHING); only then is the earlier row read. A
// submission that arrives while another commit is in flight is committed
// with the others waiting then, in one transaction (group.go).
func (s *Store) SubmitFrom(ctx context.Context, src Source, key string, requestHash []byte, in SubmissionInput) (Submitted, error) {
	res := s.SubmitEach(ctx, src, []KeyedSubmission{{Key: key, RequestHash: requestHash, Input: in}})
	return res[0].Submitted, res[0].Err
}

// replayOr answers with the submission src stored earlier under the key,
// or with err when there is none.
func (s *Store) replayOr(ctx context.Context, src Source, keyHash, requestHash []byte, err error) (Submitted, error) {
	prior, found, lookErr := s.priorSubmission(ctx, src, keyHash)
	switch {
	case lookErr != nil:
		return Submitted{}, lookErr
	case !found:
		return Submitted{}, err
	}
	return replay(prior, requestHash)
}

func (s *Store) priorSubmission(ctx context.Context, src Source, keyHash []byte) (models.Submission, bool, error) {
	var prior []models.Submission
	q := s.conn(ctx).Select("id", "day", "request_hash")
	if src.Channel == models.ChannelKiosk {
		q = q.Where("kiosk_id = ? AND idempotency_key = ?", src.KioskID, keyHash)
	} else {
		q = q.Where("site_id = ? AND channel = ? AND idempotency_key = ?", src.Site.ID, src.Channel, keyHash)
	}
	err := q.Limit(1).Find(&prior).Error
	if err != nil || len(prior) == 0 {
		return models.Submission{}, false, translate(err, "find submission")
	}
	return prior[0], true, nil
}

// replay answers a reused key. A submission whose hash was forgotten at
// moderation accepts any retry as a replay: after a moderator has acted,
// a retry is a lost response being asked for again, not a new answer.
func replay(prior models.Submission, requestHash []byte) (Submitted, error) {
	if prior.RequestHash != nil && !bytes.Equal(prior.RequestHash, requestHash) {
		return Submitted{}, ErrIdempotencyMismatch
	}
	return Submitted{ID: prior.ID, Replayed: true, Day: prior.Day}, nil
}

// zones caches time zones by name: time.LoadLocation reads and parses the
// zone file on every call, and zone rules do not change while Chorus runs.
var zones sync.Map // name → *time.Location

func loadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}
