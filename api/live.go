package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live"
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// Live is the live-session service of one process: the vote hub, its
// broker and the websockets it serves. Shutdown ends it.
type Live struct {
	Hub     *live.Hub
	metrics *metrics.Metrics
	broker  interface{ Close() error }
	// conns counts the goroutines of open websockets.
	conns sync.WaitGroup
}

// NewLive starts the live-session service over db, after checking every
// open session's tallies against the votes stored: on PostgreSQL, hubs of
// every process serving the database hear each other through
// LISTEN/NOTIFY; on SQLite one process serves alone.
// Options may adjust the hub's settings (tests shorten its intervals).
func NewLive(ctx context.Context, db *database.DB, log *slog.Logger, m *metrics.Metrics, options ...func(*live.Options)) (*Live, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts := live.Options{Store: store.New(db), Log: log, VotesAccepted: m.VotesAccepted, VotesWaiting: m.VotesWaiting}
	for _, o := range options {
		o(&opts)
	}
	l := &Live{metrics: m}
	if db.Dialect == database.Postgres {
		b, err := live.NewPostgresBroker(ctx, db.Source, db.SQL(), log)
		if err != nil {
			return nil, err
		}
		opts.Broker, l.broker = b, b
	}
	l.Hub = live.New(opts)
	if err := l.Hub.Rebuild(ctx); err != nil {
		// Not fatal: each session's room rebuilds again when it loads.
		log.Warn("live: check tallies at start", "error", err)
	}
	return l, nil
}

// Shutdown commits and acknowledges queued votes, closes every websocket
// with 1001 (going away) so clients reconnect to another process, waits
// for the connections to finish within ctx, and stops the broker.
//
// Commits may use two thirds of the time ctx leaves; what is not committed
// by then is answered "unavailable" (the client keeps it and sends it again
// after reconnecting), so the last third is left for the close frames even
// when the database hangs.
func (l *Live) Shutdown(ctx context.Context) error {
	commitCtx := ctx
	if deadline, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		commitCtx, cancel = context.WithDeadline(ctx, time.Now().Add(time.Until(deadline)*2/3))
		defer cancel()
	}
	l.Hub.Close(commitCtx)
	done := make(chan struct{})
	go func() {
		l.conns.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("close live websockets: %w", ctx.Err())
	}
	if l.broker != nil {
		err = errors.Join(err, l.broker.Close())
	}
	return err
}

// LiveDeps is what the live routes need.
type LiveDeps struct {
	// Live is the process's service; nil starts an in-memory one on
	// first use that nothing shuts down (for tests of other routes).
	Live    *Live
	Store   *store.Store
	BaseURL string
	Metrics *metrics.Metrics
	// Limits of the websockets; zero fields take the defaults.
	Limits WSLimits
}

// RouteLive registers the live-session routes on /api/v1: the
// participant and screen websockets (anonymous, Origin-checked) and the
// facilitator's endpoints, each behind runs (who may run sessions).
func RouteLive(v1 *gin.RouterGroup, deps LiveDeps, runs gin.HandlerFunc) {
	if deps.Metrics == nil {
		deps.Metrics = metrics.New()
	}
	if deps.Live == nil {
		deps.Live = &Live{metrics: deps.Metrics,
			Hub: live.New(live.Options{Store: deps.Store, VotesAccepted: deps.Metrics.VotesAccepted})}
	}
	ws := newLiveTransport(deps.Live, deps.BaseURL, deps.Limits)
	v1.GET("/live/:code/ws", ws.serve(live.Participant))
	v1.GET("/live/:code/screen", ws.serve(live.Screen))

	api := &LiveAPI{Store: deps.Store, Hub: deps.Live.Hub}
	v1.GET("/sessions", runs, api.List)
	v1.POST("/sessions", runs, api.Create)
	v1.GET("/sessions/:id", runs, api.Get)
	v1.POST("/sessions/:id/rounds", runs, api.AddRound)
	v1.POST("/sessions/:id/end", runs, api.End)
	v1.PATCH("/sessions/:id", runs, api.SetRoomSize)
	v1.POST("/sessions/:id/shared-devices", runs, api.AddSharedDevice)
	// Findings a meeting may check with the room ("Did we get this right?").
	v1.GET("/meeting-findings", runs, (&MeetingFindingAPI{Store: deps.Store}).List)
	v1.POST("/rounds/:id/open", runs, api.act(store.ActionOpen))
	v1.POST("/rounds/:id/close", runs, api.act(store.ActionClose))
	v1.POST("/rounds/:id/reveal", runs, api.act(store.ActionReveal))
	v1.POST("/rounds/:id/hand-count", runs, api.HandCount)
}

// LiveAPI is the facilitator's side of live sessions.
type LiveAPI struct {
	Store *store.Store
	Hub   *live.Hub
}

type liveSessionRequest struct {
	SiteID   string `json:"site_id" validate:"required,uuid"`
	Title    string `json:"title" validate:"required,max=200"`
	Language string `json:"language" validate:"required,max=8"`
}

type roundRequest struct {
	Kind       string   `json:"kind" validate:"required,oneof=agree scale pick rank dots comment"`
	Prompt     string   `json:"prompt" validate:"required_without=FindingID,max=500"`
	Options    []string `json:"options" validate:"max=20,dive,required,max=200"`
	ProposalID *string  `json:"proposal_id" validate:"omitempty,uuid"`
	// FindingID makes an agree round a member check; its prompt is then
	// the finding's statement and must be left out.
	FindingID *string `json:"finding_id" validate:"omitempty,uuid"`
	MaxRank   *int    `json:"max_rank"`
	Dots      *int    `json:"dots"`
}

type handCountRequest struct {
	Counts map[string]int `json:"counts" validate:"required,min=1,max=20"`
}

// FacilitatorRound is a round with the facilitator's view of its tally,
// which always has the counts; Shown says whether the room sees them.
type FacilitatorRound struct {
	*live.RoundView
	Seq   int64          `json:"seq"`
	Tally live.TallyView `json:"tally"`
	Shown bool           `json:"shown"`
	// Comments counts a comment round's comments, received and approved
	// (or redacted) by staff; never their text.
	Comments *store.CommentCounts `json:"comments,omitempty"`
}

// Create starts a session and returns its join code.
func (a *LiveAPI) Create(c *gin.Context) {
	var req liveSessionRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	ctx := c.Request.Context()
	sess, err := a.Store.By(&p.User).CreateLiveSession(ctx, p.OrganizationID, store.LiveSessionInput{SiteID: req.SiteID, Title: req.Title, Language: req.Language})
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, sess)
}

// List returns the organization's sessions, newest first.
func (a *LiveAPI) List(c *gin.Context) {
	sessions, err := a.Store.LiveSessions(c.Request.Context(), principal(c).OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"sessions": nonNil(sessions)})
}

// Get returns a session with its rounds and their tallies, and its
// summary once ended.
func (a *LiveAPI) Get(c *gin.Context) {
	ctx := c.Request.Context()
	orgID := principal(c).OrganizationID
	sess, err := a.Store.LiveSession(ctx, orgID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	minVoters, err := a.Store.MinVoters(ctx, orgID)
	if err != nil {
		abort(c, err)
		return
	}
	rounds, err := a.Store.Rounds(ctx, sess.ID)
	if err != nil {
		abort(c, err)
		return
	}
	comments, err := a.roundComments(ctx, rounds...)
	if err != nil {
		abort(c, err)
		return
	}
	out := make([]FacilitatorRound, 0, len(rounds))
	for _, r := range rounds {
		fr, err := facilitatorRound(r, minVoters)
		if err != nil {
			abort(c, err)
			return
		}
		if cc, ok := comments[r.ID]; ok {
			fr.Comments = &cc
		}
		out = append(out, fr)
	}
	body := gin.H{"session": sess, "rounds": out, "min_voters": minVoters, "summary": nil}
	if sess.State == models.LiveEnded {
		if sum, err := a.Store.LiveSummary(ctx, orgID, sess.ID); err == nil {
			body["summary"] = sum.Summary
		}
	}
	c.JSON(http.StatusOK, body)
}

func facilitatorRound(r models.LiveRound, minVoters int) (FacilitatorRound, error) {
	t, err := store.RoundTally(r)
	if err != nil {
		return FacilitatorRound{}, err
	}
	return FacilitatorRound{RoundView: live.RoundViewOf(r), Seq: r.Seq, Tally: live.View(r, r.Seq, t, minVoters, true),
		Shown: live.Shown(r.State, t.People(store.RoundSpec(r)), minVoters)}, nil
}

// AddRound prepares a draft round at the end of the session.
func (a *LiveAPI) AddRound(c *gin.Context) {
	var req roundRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	r, err := a.Store.CreateRound(c.Request.Context(), p.OrganizationID, c.Param("id"), store.RoundInput{
		Kind: req.Kind, Prompt: req.Prompt, Options: req.Options, ProposalID: req.ProposalID, FindingID: req.FindingID, MaxRank: req.MaxRank, Dots: req.Dots})
	if err != nil {
		abort(c, liveError(err))
		return
	}
	c.JSON(http.StatusCreated, live.RoundViewOf(r))
}

// act opens, closes or reveals a round and tells the room.
func (a *LiveAPI) act(action string) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := principal(c)
		ctx := c.Request.Context()
		ch, err := a.Store.By(&p.User).SetRoundState(ctx, p.OrganizationID, c.Param("id"), action)
		if err != nil {
			abort(c, liveError(err))
			return
		}
		if ch.Changed {
			// The room hears of a committed change whatever happens next.
			a.Hub.Updated(ctx, append(ch.Closed, ch.Round)...)
			if ch.Round.Kind == models.RoundComment {
				a.Hub.CommentsChanged(ctx, ch.Round.SessionID, ch.Round.ID)
			}
		}
		a.respondRound(c, ch.Round)
	}
}

// HandCount sets counts from a show of hands or paper ballots: the options
// given replace their earlier counts (so a retried request counts once),
// others keep theirs, and 0 clears one.
func (a *LiveAPI) HandCount(c *gin.Context) {
	var req handCountRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	ctx := c.Request.Context()
	r, err := a.Store.By(&p.User).SetHandCounts(ctx, p.OrganizationID, c.Param("id"), req.Counts)
	if err != nil {
		abort(c, liveError(err))
		return
	}
	a.Hub.Updated(ctx, r)
	a.respondRound(c, r)
}

func (a *LiveAPI) respondRound(c *gin.Context, r models.LiveRound) {
	minVoters, err := a.Store.MinVoters(c.Request.Context(), principal(c).OrganizationID)
	var fr FacilitatorRound
	if err == nil {
		fr, err = facilitatorRound(r, minVoters)
	}
	var comments map[string]store.CommentCounts
	if err == nil {
		comments, err = a.roundComments(c.Request.Context(), r)
	}
	if cc, ok := comments[r.ID]; ok {
		fr.Comments = &cc
	}
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, fr)
}

// roundComments counts the comments of the comment rounds among rounds.
func (a *LiveAPI) roundComments(ctx context.Context, rounds ...models.LiveRound) (map[string]store.CommentCounts, error) {
	var ids []string
	for _, r := range rounds {
		if r.Kind == models.RoundComment {
			ids = append(ids, r.ID)
		}
	}
	out, err := a.Store.RoundComments(ctx, ids)
	for _, id := range ids {
		if _, ok := out[id]; !ok {
			out[id] = store.CommentCounts{}
		}
	}
	return out, err
}

// End closes the session's open round, stores the session summary for
// staff, tells the room and frees the join code.
func (a *LiveAPI) End(c *gin.Context) {
	p := principal(c)
	ctx := c.Request.Context()
	sess, closed, err := a.Store.By(&p.User).EndLiveSession(ctx, p.OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	a.Hub.Updated(ctx, closed...)
	a.Hub.Ended(ctx, sess)
	sum, err := a.Store.LiveSummary(ctx, p.OrganizationID, sess.ID)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"session": sess, "summary": sum.Summary})
}

// liveError turns a state conflict into a 409 with its own code.
func liveError(err error) error {
	var se *store.StateError
	if errors.As(err, &se) {
		return &Error{Status: http.StatusConflict, Code: se.Code, Message: se.Message}
	}
	return err
}
