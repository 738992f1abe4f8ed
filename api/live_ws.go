package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"github.com/chorus-hr/chorus/internal/live"
	"github.com/chorus-hr/chorus/internal/ratelimit"
	"github.com/chorus-hr/chorus/internal/store"
)

// Timing and size limits of a live-session websocket.
const (
	// writeWait is how long one write to a client may take. A client that
	// stops reading blocks its writes, and is dropped when this passes;
	// the others never wait for it.
	writeWait = 10 * time.Second
	// pongWait is how long a connection may stay silent (no message, no
	// pong) before it is considered dead.
	pongWait = 60 * time.Second
	// pingPeriod is how often the server pings: well within pongWait, so
	// a live client's pong arrives in time.
	pingPeriod = pongWait * 9 / 10
	// maxMessageSize is the largest client message acted on. A larger one
	// is skipped with a too_large error; votes are a few hundred bytes, a
	// comment of 1,000 characters at most 4 bytes each (or 12 when JSON
	// escapes them as surrogate pairs) fits.
	maxMessageSize = 16 << 10
	// hardReadLimit closes a connection (1009) whose message is larger
	// still, rather than reading it to the end.
	hardReadLimit = 64 << 10
	// messageRate and messageBurst limit what one connection may send.
	messageRate  = 20
	messageBurst = 40
	// maxStrikes is how many messages in a row may be refused for the rate
	// before the connection is closed (1008).
	maxStrikes = 40
	// keptReadBuffer is the largest read buffer a connection keeps between
	// messages (a vote takes a few hundred bytes).
	keptReadBuffer = 1 << 10
	// writerLinger is how long a connection's own writer goroutine (see
	// wsWriter: a phone that is behind, TLS served by chorus) waits for
	// more to write before it gives the connection back to the workers.
	writerLinger = 2 * time.Second
	// poolLinger is how long a write worker waits for more work before it
	// leaves (a new one costs one goroutine start, whatever the room's size).
	poolLinger = 100 * time.Millisecond
)

// WSLimits are a websocket's timings and limits; tests shorten them.
type WSLimits struct {
	WriteWait, PongWait, PingPeriod time.Duration
	WriterLinger                    time.Duration
	MaxMessageSize, HardReadLimit   int64
	Rate                            rate.Limit
	Burst, MaxStrikes               int
	// JoinsPerMinute limits the new participants one client address may
	// bring, all at once or one every 60/n seconds (CHORUS_LIVE_JOIN_LIMIT).
	// Unlike the other fields, 0 means no limit.
	JoinsPerMinute int
}

func (l WSLimits) withDefaults() WSLimits {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.WriteWait, writeWait)
	def(&l.PongWait, pongWait)
	def(&l.PingPeriod, l.PongWait*9/10)
	def(&l.WriterLinger, writerLinger)
	if l.MaxMessageSize <= 0 {
		l.MaxMessageSize = maxMessageSize
	}
	if l.HardReadLimit <= 0 {
		l.HardReadLimit = hardReadLimit
	}
	if l.Rate <= 0 {
		l.Rate, l.Burst = messageRate, messageBurst
	}
	if l.MaxStrikes <= 0 {
		l.MaxStrikes = maxStrikes
	}
	return l
}

// liveTransport upgrades live-session requests to websockets and runs
// one reader goroutine per connection and, while there is something to
// write, one writer (live_writer.go); the hub does the rest.
type liveTransport struct {
	live   *Live
	limits WSLimits
	// joins limits new participants per client address (nil: no limit).
	// The address lives only in this in-memory limiter and in the
	// connection's closure: never stored, never logged.
	joins    *ratelimit.Keyed
	origin   string // scheme://host of CHORUS_BASE_URL
	upgrader websocket.Upgrader
	// pool writes for every connection that can be written without blocking.
	pool *writePool
}

func newLiveTransport(l *Live, baseURL string, limits WSLimits) *liveTransport {
	t := &liveTransport{live: l, limits: limits.withDefaults(), origin: originOf(baseURL)}
	t.pool = newWritePool(min(t.limits.WriterLinger, poolLinger))
	if n := limits.JoinsPerMinute; n > 0 {
		t.joins = ratelimit.NewKeyed(rate.Limit(float64(n)/60), n)
	}
	t.upgrader = websocket.Upgrader{
		HandshakeTimeout: 10 * time.Second,
		// Small buffers and a shared write buffer pool keep an idle
		// connection's memory low: a buffer is held only while writing.
		ReadBufferSize:  512,
		WriteBufferSize: 512,
		WriteBufferPool: &sync.Pool{},
		CheckOrigin:     t.originAllowed,
		Error: func(w http.ResponseWriter, _ *http.Request, status int, reason error) {
			writeUpgradeError(w, status, reason.Error())
		},
	}
	return t
}

// originOf is a URL's origin, lowercased, without a default port.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.ToLower(u.Host)
	if (u.Scheme == "http" && strings.HasSuffix(host, ":80")) || (u.Scheme == "https" && strings.HasSuffix(host, ":443")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	return strings.ToLower(u.Scheme) + "://" + host
}

// originAllowed refuses websockets opened by pages of other sites (cross-
// site websocket hijacking). Browsers always send Origin on websockets;
// a client without one is not a browser and carries no one's cookies.
func (t *liveTransport) originAllowed(r *http.Request) bool {
	o := r.Header.Get("Origin")
	return o == "" || (t.origin != "" && originOf(o) == t.origin)
}

func writeUpgradeError(w http.ResponseWriter, status int, message string) {
	code := CodeInvalidInput
	if status == http.StatusForbidden {
		code = CodeForbidden
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	body, _ := json.Marshal(errorBody{&Error{Status: status, Code: code, Message: message}})
	_, _ = w.Write(body)
}

// serve answers GET /live/:code/ws and /live/:code/screen. Everything that
// can refuse a request does so before the upgrade, as a plain HTTP error.
func (t *liveTransport) serve(role live.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !t.originAllowed(c.Request) {
			abort(c, forbidden("This page may not connect from another site."))
			return
		}
		ctx := c.Request.Context()
		sess, err := t.live.Hub.Lookup(ctx, c.Param("code"))
		if err != nil {
			abort(c, err)
			return
		}
		// The view is decided per request: the handler's role is shared
		// by every request and must never change. A projector asks for the
		// room's view (?view=room) even when the laptop driving it is signed
		// in as the facilitator: the room must not see counts before the reveal.
		view := role
		if view == live.Screen && c.Query("view") != "room" && runsSession(c, sess.OrganizationID) {
			view = live.Facilitator
		}
		if !websocket.IsWebSocketUpgrade(c.Request) {
			abort(c, badRequest("websocket_required", "Connect to this address with a websocket.", nil))
			return
		}
		client, err := t.live.Hub.Join(ctx, sess, view, t.admit(c, view))
		if errors.Is(err, live.ErrClosed) {
			abort(c, &Error{Status: http.StatusServiceUnavailable, Code: CodeUnavailable, Message: "The server is restarting; connect again."})
			return
		}
		if err != nil {
			abort(c, err)
			return
		}
		conn, err := t.upgrader.Upgrade(c.Writer, c.Request, nil)
		if err != nil {
			// The upgrader has answered the request.
			client.Leave()
			return
		}
		t.live.conns.Add(2)
		t.live.metrics.WebsocketsOpen.Inc()
		w := t.newWriter(conn, client)
		client.Start(w.wake)
		go t.read(conn, client)
	}
}

// admit is the join limit of a participant connection: each new
// participant it brings (at its first vote, so a reconnect that resumes
// costs nothing) takes one from its client address's bucket.
func (t *liveTransport) admit(c *gin.Context, view live.Role) func() bool {
	if t.joins == nil || view != live.Participant {
		return nil
	}
	key := clientKey(c)
	return func() bool {
		ok, _ := t.joins.Allow(key)
		return ok
	}
}

// runsSession reports whether the caller is signed in as someone who runs
// the session's organization's sessions: their screen shows the counts.
func runsSession(c *gin.Context, orgID string) bool {
	p, ok := c.Get(principalKey)
	if !ok {
		return false
	}
	pr := p.(store.Principal)
	return pr.OrganizationID == orgID && slices.Contains(runsSessions, pr.Role)
}

// read is the connection's one reader: it enforces the size and rate
// limits and hands each message to the hub. When it returns, the client
// leaves its room and the writer closes the connection.
func (t *liveTransport) read(conn *websocket.Conn, client *live.Client) {
	defer t.live.conns.Done()
	defer client.Leave()
	l := t.limits
	conn.SetReadLimit(l.HardReadLimit)
	alive := func(string) error { return conn.SetReadDeadline(time.Now().Add(l.PongWait)) }
	if alive("") != nil {
		return
	}
	conn.SetPongHandler(alive)
	limiter := rate.NewLimiter(l.Rate, l.Burst)
	strikes := 0
	// Every message is read into the same buffer (Handle keeps none of
	// it), through the same limit.
	var msg bytes.Buffer
	var limited io.LimitedReader
	for {
		kind, r, err := conn.NextReader()
		if err != nil || alive("") != nil {
			return
		}
		if !limiter.Allow() {
			if strikes++; strikes > l.MaxStrikes {
				client.Close(live.ClosePolicy, "too many messages")
				return
			}
			if strikes%10 == 1 {
				client.Error(live.CodeRateLimited, "Too many messages; slow down.")
			}
			if _, err := io.Copy(io.Discard, r); err != nil {
				return
			}
			continue
		}
		strikes = 0
		msg.Reset()
		limited = io.LimitedReader{R: r, N: l.MaxMessageSize + 1}
		if _, err := msg.ReadFrom(&limited); err != nil {
			return
		}
		switch {
		case int64(msg.Len()) > l.MaxMessageSize:
			if _, err := io.Copy(io.Discard, r); err != nil {
				return
			}
			client.Error(live.CodeTooLarge, "Messages may be at most 4 KiB.")
		case kind != websocket.TextMessage:
			client.Error(live.CodeInvalidJSON, "Send JSON in text messages.")
		default:
			client.Handle(context.Background(), msg.Bytes())
		}
		if msg.Cap() > keptReadBuffer {
			// A long comment's buffer is not kept for the votes after it.
			msg = bytes.Buffer{}
		}
	}
}
