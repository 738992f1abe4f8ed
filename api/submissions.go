package api

import (
	"crypto/sha256"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/store"
)

// SubmissionAPI takes submissions from kiosks and from people's own phones,
// exactly once per idempotency key.
type SubmissionAPI struct {
	Store   *store.Store
	Metrics *metrics.Metrics
	// Log and Outage report the items of a batch that failed on our side.
	Log    *slog.Logger
	Outage *database.Outage
	// Scrub removes personal identifiers from free text before it is stored.
	Scrub func(text string) (clean string, removed int)
	// Urgent reports which of the organization's urgent words a text holds.
	Urgent func(text string, words []string) []string
}

// IdempotencyHeader names the client's key for a write.
const IdempotencyHeader = "Idempotency-Key"

// MaxBatch is the most submissions one batch may carry.
const MaxBatch = 100

type submissionRequest struct {
	Language   string            `json:"language" validate:"required,max=8"`
	Needs      []string          `json:"needs" validate:"max=40,unique,dive,required,max=64"`
	Priorities []string          `json:"priorities" validate:"max=3,unique,dive,required,max=64"`
	Strengths  []string          `json:"strengths" validate:"max=40,unique,dive,required,max=64"`
	Text       *string           `json:"text" validate:"omitempty,max=1000"`
	MayQuote   *bool             `json:"may_quote"`
	About      map[string]string `json:"about" validate:"max=4,dive,keys,max=32,endkeys,required,max=32"`
	// Receipt is a code the kiosk made and showed the participant
	// ("K7M-3QX"), to look up later what came of their topics.
	Receipt string `json:"receipt" validate:"omitempty,max=16"`
	// MemberCheck answers the finding the kiosk asked about after the
	// participant's own feedback (member checking); only a finding asked
	// at the kiosk's site that day is accepted.
	MemberCheck *memberCheckRequest `json:"member_check"`
}

type memberCheckRequest struct {
	FindingID string `json:"finding_id" validate:"required,max=64"`
	Answer    string `json:"answer" validate:"required,oneof=agree disagree unsure"`
}

// SubmissionCreated answers a submission.
type SubmissionCreated struct {
	ID string `json:"id"`
}

// Create stores one submission: 201 when new, 200 with the same id when
// the key was already used with the same body, 422 when with another.
func (a *SubmissionAPI) Create(c *gin.Context) {
	key, err := idempotencyKey(c.GetHeader(IdempotencyHeader))
	if err != nil {
		abort(c, err)
		return
	}
	var req submissionRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	ks, err := a.prepare(c, key, req)
	if err != nil {
		abort(c, err)
		return
	}
	res := a.Store.SubmitEach(c.Request.Context(), submissionSource(c), []store.KeyedSubmission{ks})
	status, out, err := a.answer(res[0])
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(status, out)
}

// prepare validates, scrubs and hashes one request for the store.
func (a *SubmissionAPI) prepare(c *gin.Context, key string, req submissionRequest) (store.KeyedSubmission, error) {
	if !slices.Contains(catalog.Languages, req.Language) {
		return store.KeyedSubmission{}, invalidField("language", "must be one of: "+strings.Join(catalog.Languages, ", "))
	}
	in := store.SubmissionInput{
		Language: req.Language, Needs: req.Needs, Priorities: req.Priorities, Strengths: req.Strengths, About: req.About,
		Receipt: req.Receipt,
	}
	if req.MemberCheck != nil {
		in.MemberCheck = &store.MemberCheckAnswer{FindingID: req.MemberCheck.FindingID, Answer: req.MemberCheck.Answer}
	}
	if req.Receipt != "" && !validReceipt(req.Receipt) {
		return store.KeyedSubmission{}, invalidField("receipt", "must be 6 letters and digits such as K7M-3QX")
	}
	if req.Text != nil {
		scrubbed, _ := a.Scrub(*req.Text)
		// The request hash must be of the scrubbed text: a hash of the
		// original would let anyone with the database guess what was
		// removed.
		req.Text, in.Text = &scrubbed, scrubbed
		if strings.TrimSpace(in.Text) != "" {
			// The urgent words came with the kiosk's or the poster's
			// authentication.
			in.Urgent = a.Urgent(in.Text, submissionSource(c).UrgentWords)
		}
	}
	if req.MayQuote != nil {
		in.MayQuote = *req.MayQuote
	}
	canonical, err := json.Marshal(req)
	if err != nil {
		return store.KeyedSubmission{}, err
	}
	hash := sha256.Sum256(canonical)
	return store.KeyedSubmission{Key: key, RequestHash: hash[:], Input: in}, nil
}

// answer is the status and body of one stored submission: 201 when new,
// 200 for a replay; a reused key with another body is 422 (api/errors.go).
func (a *SubmissionAPI) answer(res store.SubmitResult) (int, SubmissionCreated, error) {
	if res.Err != nil {
		return 0, SubmissionCreated{}, res.Err
	}
	if res.Replayed {
		return http.StatusOK, SubmissionCreated{ID: res.ID}, nil
	}
	a.Metrics.SubmissionsAccepted.Inc()
	return http.StatusCreated, SubmissionCreated{ID: res.ID}, nil
}

func idempotencyKey(key string) (string, error) {
	if key == "" {
		return "", &Error{Status: http.StatusBadRequest, Code: CodeInvalidInput, Message: "Send an Idempotency-Key header with a new random value (such as a UUID) for each submission.",
			Fields: map[string]string{IdempotencyHeader: "is required"}}
	}
	if len(key) > 128 || strings.IndexFunc(key, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
		return "", invalidField(IdempotencyHeader, "must be 1 to 128 visible ASCII characters")
	}
	return key, nil
}

type batchRequest struct {
	Items []batchItem `json:"items" validate:"required,min=1,max=100"`
}

type batchItem struct {
	IdempotencyKey string          `json:"idempotency_key"`
	Submission     json.RawMessage `json:"submission"`
}

// BatchResult is one item's answer in a batch.
type BatchResult struct {
	IdempotencyKey string `json:"idempotency_key"`
	Status         int    `json:"status"`
	ID             string `json:"id,omitempty"`
	Error          *Error `json:"error,omitempty"`
}

// Batch stores up to MaxBatch submissions, each answered on its own, so
// one bad item never holds back the rest of an outbox: an item the server
// fails to store answers with its own 5xx (the kiosk keeps it and tries
// again later) and the others are still stored. The valid items are
// committed together (store.SubmitEach). When the request's deadline has
// passed before they are stored, they are answered 503 untried.
func (a *SubmissionAPI) Batch(c *gin.Context) {
	var req batchRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	results := make([]BatchResult, len(req.Items))
	items := make([]store.KeyedSubmission, 0, len(req.Items))
	at := make([]int, 0, len(req.Items))
	for i, item := range req.Items {
		results[i].IdempotencyKey = item.IdempotencyKey
		ks, err := a.batchItem(c, item)
		if err != nil {
			a.fail(c, &results[i], err)
			continue
		}
		items, at = append(items, ks), append(at, i)
	}
	if c.Request.Context().Err() != nil {
		for _, i := range at {
			results[i].Status, results[i].Error = http.StatusServiceUnavailable, unavailable()
		}
	} else if len(items) > 0 {
		for j, res := range a.Store.SubmitEach(c.Request.Context(), submissionSource(c), items) {
			r := &results[at[j]]
			status, out, err := a.answer(res)
			if err != nil {
				a.fail(c, r, err)
				continue
			}
			r.Status, r.ID = status, out.ID
		}
	}
	for _, r := range results {
		if r.Error != nil && r.Error.Code == CodeUnavailable {
			c.Header("Retry-After", retryAfterSeconds)
			break
		}
	}
	c.JSON(http.StatusOK, gin.H{"results": results})
}

// fail answers one item of a batch with err, logging a failure on our side.
func (a *SubmissionAPI) fail(c *gin.Context, r *BatchResult, err error) {
	apiErr := toAPIError(err)
	logFailure(c, a.Log, a.Outage, err, apiErr)
	r.Status, r.Error = apiErr.Status, apiErr
}

func (a *SubmissionAPI) batchItem(c *gin.Context, item batchItem) (store.KeyedSubmission, error) {
	key, err := idempotencyKey(item.IdempotencyKey)
	if err != nil {
		return store.KeyedSubmission{}, err
	}
	var sub submissionRequest
	if err := decodeStrict(strings.NewReader(string(item.Submission)), &sub); err != nil {
		return store.KeyedSubmission{}, err
	}
	if err := validateStruct(&sub); err != nil {
		return store.KeyedSubmission{}, err
	}
	return a.prepare(c, key, sub)
}

// validReceipt accepts six characters of the code alphabet, with an
// optional dash in the middle.
func validReceipt(code string) bool {
	n := auth.NormalizeCode(code)
	if len(n) != 6 {
		return false
	}
	for _, r := range n {
		if !strings.ContainsRune(auth.CodeAlphabet, r) {
			return false
		}
	}
	return true
}
