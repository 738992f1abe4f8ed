package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/models"
)

// KeyedSubmission is one submission to store with its idempotency key and
// the hash of its request body.
type KeyedSubmission struct {
	Key         string
	RequestHash []byte
	Input       SubmissionInput
}

// SubmitResult is one submission's outcome in SubmitEach: what SubmitFrom
// would have returned for it.
type SubmitResult struct {
	Submitted
	Err error
}

// pendingSubmission is a validated submission on its way into a group
// commit, and what became of it.
type pendingSubmission struct {
	src         Source
	keyHash     []byte
	requestHash []byte
	sub         models.Submission
	text        *models.FeedbackText // nil without free text
	urgent      []string
	check       *MemberCheckAnswer // nil without a member-check answer

	inserted bool  // stored by this commit (else its key was used)
	err      error // the commit failed for this submission
}

// SubmitEach stores submissions from one source, each exactly once per
// idempotency key and each answered on its own, as SubmitFrom answers one.
// Those that pass validation are committed together, and together with
// other callers' submissions waiting at the same moment (group commit):
// each is answered only after the transaction that holds it commits.
func (s *Store) SubmitEach(ctx context.Context, src Source, items []KeyedSubmission) []SubmitResult {
	out := make([]SubmitResult, len(items))
	pending := make([]*pendingSubmission, 0, len(items))
	index := make([]int, 0, len(items))
	for i, it := range items {
		p, err := s.prepareSubmission(ctx, src, it)
		if err != nil {
			out[i].Submitted, out[i].Err = p.answer(ctx, s, err)
			continue
		}
		pending = append(pending, p)
		index = append(index, i)
	}
	if len(pending) > 0 {
		if err := s.commitSubmissions(ctx, pending); err != nil {
			for _, p := range pending {
				p.err = err
			}
		}
	}
	for j, p := range pending {
		i := index[j]
		switch {
		case p.err != nil:
			out[i].Err = p.err
		case p.inserted:
			out[i].Submitted = Submitted{ID: p.sub.ID, Day: p.sub.Day}
		default:
			out[i].Submitted, out[i].Err = p.answer(ctx, s, fmt.Errorf("submission with a reused key: %w", ErrConflict))
		}
	}
	return out
}

// commitSubmissions commits rows in a group with whatever else is waiting,
// or directly in the caller's transaction when ctx carries one.
func (s *Store) commitSubmissions(ctx context.Context, rows []*pendingSubmission) error {
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); inTx {
		s.commitGroup(ctx, rows)
		return nil
	}
	return s.group.submit(ctx, rows)
}

// prepareSubmission validates one submission and builds its rows.
func (s *Store) prepareSubmission(ctx context.Context, src Source, it KeyedSubmission) (*pendingSubmission, error) {
	keyHash := sha256.Sum256([]byte(it.Key))
	p := &pendingSubmission{src: src, keyHash: keyHash[:], requestHash: it.RequestHash}
	in := it.Input
	if err := s.validateSubmission(ctx, src, in); err != nil {
		// A replay is answered before validation, so a retry of a request
		// that was accepted stays accepted even if categories changed.
		return p, err
	}
	loc, err := loadZone(src.Site.TimeZone)
	if err != nil {
		return p, fmt.Errorf("site %s time zone: %w", src.Site.ID, err)
	}
	p.sub = models.Submission{
		ID: models.NewID(), OrganizationID: src.OrganizationID, SiteID: src.Site.ID, Channel: src.Channel,
		Language: in.Language, Day: models.DayOf(s.now(), loc),
		Needs: in.Needs, Priorities: in.Priorities, Strengths: in.Strengths, About: in.About,
		IdempotencyKey: p.keyHash, RequestHash: it.RequestHash,
	}
	if err := s.checkMemberAnswer(ctx, src, p.sub.Day, in.MemberCheck); err != nil {
		return p, err
	}
	p.check = in.MemberCheck
	if src.KioskID != "" {
		p.sub.KioskID = &src.KioskID
	}
	if in.Receipt != "" {
		p.sub.ReceiptHash = auth.HashSecret(auth.NormalizeCode(in.Receipt))
	}
	if strings.TrimSpace(in.Text) != "" {
		p.text = &models.FeedbackText{ID: models.NewID(), SubmissionID: p.sub.ID, OrganizationID: p.sub.OrganizationID,
			SiteID: p.sub.SiteID, Day: p.sub.Day, Body: in.Text, MayQuote: in.MayQuote, State: models.TextPending}
		p.urgent = in.Urgent
	}
	return p, nil
}

// answer is the reply to a submission that was not stored: the earlier
// submission under its key (a replay), or err when there is none.
func (p *pendingSubmission) answer(ctx context.Context, s *Store, err error) (Submitted, error) {
	return s.replayOr(ctx, p.src, p.keyHash, p.requestHash, err)
}

// commitGroup stores rows in one transaction. When that fails, each is
// tried on its own, so one bad submission never fails the others; when the
// database is unavailable, there is no point and every row gets the error.
func (s *Store) commitGroup(ctx context.Context, rows []*pendingSubmission) {
	err := s.storeGroup(ctx, rows)
	if err == nil {
		return
	}
	if len(rows) == 1 || database.Unavailable(err) || ctx.Err() != nil {
		for _, p := range rows {
			p.inserted, p.err = false, err
		}
		return
	}
	for _, p := range rows {
		p.err = s.storeGroup(ctx, []*pendingSubmission{p})
	}
}

// storeGroup inserts the submissions with one multi-row statement, then
// the free texts of those inserted with another, their urgent-word alerts
// and their member-check answers. A group without free text or answers
// needs no transaction: one INSERT is atomic, whatever its number of rows;
// on PostgreSQL neither does a group whose texts raise no alert, as the
// texts go in the same statement (a data-modifying WITH).
func (s *Store) storeGroup(ctx context.Context, rows []*pendingSubmission) error {
	withText, urgent := false, false
	for _, p := range rows {
		p.inserted = false
		withText = withText || p.text != nil
		urgent = urgent || len(p.urgent) > 0
	}
	checks := withMemberCheck(rows)
	if !withText && !checks {
		return s.insertSubmissions(ctx, rows, false)
	}
	if s.dialect == database.Postgres && !urgent && !checks {
		return s.insertSubmissions(ctx, rows, true)
	}
	err := s.InTx(ctx, func(ctx context.Context) error {
		if err := s.insertSubmissions(ctx, rows, false); err != nil {
			return err
		}
		if err := s.insertTexts(ctx, rows); err != nil {
			return err
		}
		return s.insertMemberChecks(ctx, rows)
	})
	if err != nil {
		for _, p := range rows {
			p.inserted = false
		}
	}
	return err
}

// submissionColumns are the columns insertSubmissions writes, in order.
const submissionColumns = "id, organization_id, site_id, kiosk_id, channel, language, day, needs, priorities, strengths, about, idempotency_key, request_hash, receipt_hash"

// insertSubmissions inserts every row whose source has not used its key
// yet and marks those inserted. ON CONFLICT without a target skips a row
// that would break any unique index: the kiosk's (kiosk_id,
// idempotency_key) or the other channels' partial (site_id, channel,
// idempotency_key), including a key used twice within rows.
//
// withTexts (PostgreSQL) stores the free texts of the rows inserted in the
// same statement: a data-modifying WITH joins them to the ids the INSERT
// returns, so a text whose submission was skipped is skipped too, and the
// statement is atomic without a transaction.
func (s *Store) insertSubmissions(ctx context.Context, rows []*pendingSubmission, withTexts bool) error {
	var q strings.Builder
	q.Grow(len(submissionColumns) + 80 + len(rows)*48)
	args := make([]any, 0, len(rows)*14)
	if withTexts {
		q.WriteString("WITH s AS (")
	}
	q.WriteString("INSERT INTO submissions (" + submissionColumns + ") VALUES ")
	for i, p := range rows {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
		sub := &p.sub
		args = append(args, sub.ID, sub.OrganizationID, sub.SiteID, sub.KioskID, sub.Channel, sub.Language, sub.Day,
			sub.Needs, sub.Priorities, sub.Strengths, sub.About, sub.IdempotencyKey, sub.RequestHash, sub.ReceiptHash)
	}
	q.WriteString(" ON CONFLICT DO NOTHING RETURNING id")
	if withTexts {
		q.WriteString("), t AS (INSERT INTO feedback_texts (" + textColumns + ") SELECT v.* FROM (VALUES ")
		n := 0
		for _, p := range rows {
			if p.text == nil {
				continue
			}
			if n > 0 {
				q.WriteByte(',')
			}
			n++
			q.WriteString("(?::uuid,?::uuid,?::uuid,?::uuid,?::date,?,?::boolean,?)")
			args = appendText(args, p.text)
		}
		q.WriteString(") AS v (" + textColumns + ") JOIN s ON s.id = v.submission_id) SELECT id FROM s")
	}
	res, err := s.conn(ctx).Raw(q.String(), args...).Rows()
	if err != nil {
		return translate(err, "store submissions")
	}
	defer res.Close()
	byID := make(map[string]*pendingSubmission, len(rows))
	for _, p := range rows {
		byID[p.sub.ID] = p
	}
	for res.Next() {
		var id string
		if err := res.Scan(&id); err != nil {
			return translate(err, "store submissions")
		}
		if p := byID[id]; p != nil {
			p.inserted = true
		}
	}
	return translate(res.Err(), "store submissions")
}

// textColumns are the columns of a submission's free text, in the order
// appendText gives them.
const textColumns = "id, submission_id, organization_id, site_id, day, body, may_quote, state"

func appendText(args []any, t *models.FeedbackText) []any {
	return append(args, t.ID, t.SubmissionID, t.OrganizationID, t.SiteID, t.Day, t.Body, t.MayQuote, t.State)
}

// insertTexts stores the free texts of the inserted rows and, where they
// hold urgent words, the staff alerts, in the submissions' transaction.
func (s *Store) insertTexts(ctx context.Context, rows []*pendingSubmission) error {
	var q strings.Builder
	var args []any
	n := 0
	for _, p := range rows {
		if p.text == nil || !p.inserted {
			continue
		}
		if n == 0 {
			q.WriteString("INSERT INTO feedback_texts (" + textColumns + ") VALUES ")
		} else {
			q.WriteByte(',')
		}
		n++
		q.WriteString("(?,?,?,?,?,?,?,?)")
		args = appendText(args, p.text)
	}
	if n == 0 {
		return nil
	}
	if err := s.conn(ctx).Exec(q.String(), args...).Error; err != nil {
		return translate(err, "store free text")
	}
	for _, p := range rows {
		if p.text == nil || !p.inserted || len(p.urgent) == 0 {
			continue
		}
		siteID, textID := p.sub.SiteID, p.text.ID
		if err := s.RaiseAlert(ctx, models.Alert{OrganizationID: p.sub.OrganizationID, SiteID: &siteID, Day: p.sub.Day,
			Kind: models.AlertUrgentWords, Matched: p.urgent, FeedbackTextID: &textID}); err != nil {
			return err
		}
	}
	return nil
}
