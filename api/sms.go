package api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/live"
	"github.com/chorus-hr/chorus/internal/sms"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// SMSIdle is how long a feedback conversation waits for the next reply:
// then it ends, and what was given is kept as one submission.
const SMSIdle = 30 * time.Minute

// smsMeetingLife bounds a meeting conversation whose session never ends.
const smsMeetingLife = 24 * time.Hour

// SMSAPI is taking part by text message (docs/sms.md): the provider's
// webhooks, feedback conversations, votes in live meetings, and the
// admin's set-up. The sender's number is held in memory for the length
// of one webhook request, to key the conversation (as an HMAC) and to send
// the reply over the provider's REST API; it is never stored, logged or
// put in an error.
type SMSAPI struct {
	Store    *store.Store
	Hub      *live.Hub
	Provider sms.Provider
	// BaseURL is Chorus's public address: webhooks are signed over it.
	BaseURL string
	// Token is the provider's auth token (CHORUS_TWILIO_AUTH_TOKEN); ""
	// turns SMS off.
	Token  string
	Log    *slog.Logger
	Now    func() time.Time
	Scrub  func(text string) (clean string, removed int)
	Urgent func(text string, words []string) []string

	locks partyLocks
}

// partyLocks serializes the messages of one sender in this process, so
// two texts sent at once do not both start a conversation or a
// participant. Keys are hashes of the number, dropped when unused.
type partyLocks struct {
	mu    sync.Mutex
	held  map[[32]byte]*partyLock
	ready bool
}

type partyLock struct {
	sync.Mutex
	users int
}

func (p *partyLocks) lock(orgID, from string) func() {
	key := sha256.Sum256([]byte(orgID + "\x00" + from))
	p.mu.Lock()
	if !p.ready {
		p.held, p.ready = map[[32]byte]*partyLock{}, true
	}
	l := p.held[key]
	if l == nil {
		l = &partyLock{}
		p.held[key] = l
	}
	l.users++
	p.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		p.mu.Lock()
		if l.users--; l.users == 0 {
			delete(p.held, key)
		}
		p.mu.Unlock()
	}
}

func (a *SMSAPI) now() time.Time { return a.Now().UTC() }

// today is the UTC day: the day keys rotate on.
func (a *SMSAPI) today() models.Day { return models.DayOf(a.now(), time.UTC) }

// webhookURL is the full address the provider called, as it signed it.
func (a *SMSAPI) webhookURL(c *gin.Context) string {
	return strings.TrimRight(a.BaseURL, "/") + c.Request.URL.RequestURI()
}

// settings finds the organization a webhook is for, refusing with 404
// when it has no SMS set-up (nothing can check the signature).
func (a *SMSAPI) settings(c *gin.Context) (models.SMSSettings, bool) {
	set, err := a.Store.SMSSettings(c.Request.Context(), c.Param("org"))
	if errors.Is(err, store.ErrNotFound) {
		abort(c, notFound())
		return set, false
	}
	if err != nil {
		abort(c, err)
		return set, false
	}
	return set, true
}

func webhookError(err error) error {
	if errors.Is(err, sms.ErrSignature) {
		return forbidden("The webhook's signature is missing or wrong.")
	}
	return badRequest(CodeInvalidInput, "The webhook lacks a field it needs.", nil)
}

// Inbound answers the provider's webhook for a text someone sent. A wrong
// or missing signature is 403 and changes nothing; a replay (the same
// message id) is answered and changes nothing. Replies are sent over the
// provider's REST API after the change is committed, within the request.
func (a *SMSAPI) Inbound(c *gin.Context) {
	set, ok := a.settings(c)
	if !ok {
		return
	}
	creds := sms.Credentials{AccountSID: set.AccountSID, AuthToken: a.Token}
	in, err := a.Provider.Inbound(c.Request, a.webhookURL(c), creds)
	if err != nil {
		abort(c, webhookError(err))
		return
	}
	contentType, empty := a.Provider.Reply()
	if !set.Enabled || in.To != set.PhoneNumber {
		c.Data(http.StatusOK, contentType, empty)
		return
	}
	ctx := c.Request.Context()
	unlock := a.locks.lock(set.OrganizationID, in.From)
	reply, err := a.handle(ctx, set, in)
	unlock()
	if errors.Is(err, store.ErrSMSReplay) {
		c.Data(http.StatusOK, contentType, empty)
		return
	}
	if err != nil {
		abort(c, err)
		return
	}
	if reply != "" {
		a.send(ctx, set, in.From, reply, logFor(c, a.Log))
	}
	c.Data(http.StatusOK, contentType, empty)
}

// Status answers the provider's delivery report for a message Chorus
// sent. Nothing is stored; a failure is logged with its error code only.
func (a *SMSAPI) Status(c *gin.Context) {
	set, ok := a.settings(c)
	if !ok {
		return
	}
	st, err := a.Provider.Status(c.Request, a.webhookURL(c), sms.Credentials{AccountSID: set.AccountSID, AuthToken: a.Token})
	if err != nil {
		abort(c, webhookError(err))
		return
	}
	if st.State == "failed" || st.State == "undelivered" {
		logFor(c, a.Log).Warn("sms: a reply was not delivered", "organization", set.OrganizationID, "error_code", st.ErrorCode)
	}
	c.Status(http.StatusNoContent)
}

// send sends one reply when the organization is under its monthly cap. At
// the cap Chorus answers nothing more; staff see it on the SMS settings.
func (a *SMSAPI) send(ctx context.Context, set models.SMSSettings, to, body string, log *slog.Logger) {
	// The reply must go even when the person's request has ended.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	ok, err := a.Store.ReserveSMS(ctx, set.OrganizationID, a.now().Format("2006-01"), a.today(), set.MonthlyCap)
	if err != nil {
		log.Warn("sms: count a reply", "organization", set.OrganizationID, "error", err)
		return
	}
	if !ok {
		log.Warn("sms: monthly cap reached; no reply sent", "organization", set.OrganizationID)
		return
	}
	callback := strings.TrimRight(a.BaseURL, "/") + "/api/v1/sms/" + set.OrganizationID + "/status"
	_, err = a.Provider.Send(ctx, sms.Credentials{AccountSID: set.AccountSID, AuthToken: a.Token},
		sms.Outbound{From: set.PhoneNumber, To: to, Body: body, StatusCallback: callback})
	if err != nil {
		log.Warn("sms: send a reply", "organization", set.OrganizationID, "error", err)
	}
}

// mac is HMAC-SHA256 of parts under key.
func mac(key []byte, parts ...string) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

// party is who sent a message, as Chorus knows them: the HMACs of their
// number under the live keys, and their conversations.
type party struct {
	dayKeyName string
	dayHash    []byte
	feedback   *models.SMSConversation
	meeting    *models.SMSConversation
	// meetingKey is the key of meeting's session.
	meetingKey []byte
}

// findParty keys the sender under today's key (made when missing),
// yesterday's and every key of the organization's open meetings, and
// finds their conversations.
func (a *SMSAPI) findParty(ctx context.Context, set models.SMSSettings, from string, dayKey []byte) (party, error) {
	today := a.today()
	p := party{dayKeyName: "day:" + today.String()}
	p.dayHash = mac(dayKey, "party", from)
	names := []string{"day:" + today.AddDays(-1).String()}
	sessions, err := a.Store.LiveSessions(ctx, set.OrganizationID)
	if err != nil {
		return p, err
	}
	for _, s := range sessions {
		if s.State != models.LiveEnded {
			names = append(names, "meeting:"+s.ID)
		}
	}
	keys, err := a.Store.SMSKeys(ctx, names)
	if err != nil {
		return p, err
	}
	keys[p.dayKeyName] = dayKey
	hashes := make([][]byte, 0, len(keys))
	for _, key := range keys {
		hashes = append(hashes, mac(key, "party", from))
	}
	convs, err := a.Store.SMSConversations(ctx, set.OrganizationID, hashes)
	if err != nil {
		return p, err
	}
	for i := range convs {
		c := &convs[i]
		switch c.Kind {
		case models.SMSMeeting:
			p.meeting, p.meetingKey = c, keys[c.KeyName]
		default:
			p.feedback = c
		}
	}
	return p, nil
}

// participantToken is the live-session token of a text-message
// participant: derived from the number under the meeting's key, so each
// text votes as the same participant, and no one can tell whose once the
// key is deleted at the meeting's end.
func participantToken(meetingKey []byte, from string) string {
	return "chorus_live_" + base64.RawURLEncoding.EncodeToString(mac(meetingKey, "participant", from))
}
