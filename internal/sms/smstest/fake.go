// Package smstest is a fake Twilio for tests and local trials, kept out
// of the sms package so the server binary does not carry it.
package smstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chorus-hr/chorus/internal/sms"
)

// Fake is a stand-in for Twilio, for tests and local trials: a real HTTP
// server that speaks Twilio's Messages API (basic auth, form body, 201
// with the message's sid), records what it is asked to send, reports
// delivery to the message's status callback, and sends inbound messages
// to a webhook signed the way Twilio signs them.
type Fake struct {
	AccountSID, AuthToken string

	server *httptest.Server
	client *http.Client

	mu      sync.Mutex
	sent    []Sent
	changed chan struct{}
	// Refuse, when set, makes the Messages API answer with this status.
	refuse    int
	callbacks sync.WaitGroup
}

// Sent is a message the fake was asked to send.
type Sent struct {
	SID, From, To, Body string
}

// NewFake starts a fake for one account.
func NewFake(accountSID, authToken string) *Fake {
	f := &Fake{AccountSID: accountSID, AuthToken: authToken, changed: make(chan struct{}),
		client: &http.Client{Timeout: 10 * time.Second}}
	f.server = httptest.NewServer(http.HandlerFunc(f.messages))
	return f
}

// URL is the fake API's address, for sms.NewTwilio.
func (f *Fake) URL() string { return f.server.URL }

// Close stops the fake once its status callbacks are sent.
func (f *Fake) Close() {
	f.callbacks.Wait()
	f.server.Close()
}

// RefuseWith makes every later send fail with status (0: accept again).
func (f *Fake) RefuseWith(status int) {
	f.mu.Lock()
	f.refuse = status
	f.mu.Unlock()
}

func (f *Fake) messages(w http.ResponseWriter, r *http.Request) {
	want := "/2010-04-01/Accounts/" + f.AccountSID + "/Messages.json"
	user, pass, ok := r.BasicAuth()
	switch {
	case r.Method != http.MethodPost || r.URL.Path != want:
		writeTwilioError(w, http.StatusNotFound, 20404)
		return
	case !ok || user != f.AccountSID || pass != f.AuthToken:
		writeTwilioError(w, http.StatusUnauthorized, 20003)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeTwilioError(w, http.StatusBadRequest, 21602)
		return
	}
	msg := Sent{SID: newSID("SM"), From: r.PostForm.Get("From"), To: r.PostForm.Get("To"), Body: r.PostForm.Get("Body")}
	if msg.To == "" || msg.From == "" || msg.Body == "" {
		writeTwilioError(w, http.StatusBadRequest, 21602)
		return
	}
	f.mu.Lock()
	refuse := f.refuse
	if refuse == 0 {
		f.sent = append(f.sent, msg)
		close(f.changed)
		f.changed = make(chan struct{})
	}
	f.mu.Unlock()
	if refuse != 0 {
		writeTwilioError(w, refuse, 30003)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]string{"sid": msg.SID, "status": "queued", "account_sid": f.AccountSID})
	if cb := r.PostForm.Get("StatusCallback"); cb != "" {
		f.callbacks.Add(1)
		go func() {
			defer f.callbacks.Done()
			form := url.Values{"MessageSid": {msg.SID}, "MessageStatus": {"delivered"}, "AccountSid": {f.AccountSID},
				"To": {msg.To}, "From": {msg.From}}
			if resp, err := f.Post(cb, form, true); err == nil {
				resp.Body.Close()
			}
		}()
	}
}

func writeTwilioError(w http.ResponseWriter, status, code int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "status": status, "message": "refused by the fake"})
}

// Text sends an inbound message from a phone to the webhook, signed, with
// a new message sid; it returns the sid and the webhook's status.
func (f *Fake) Text(webhook, from, to, body string) (sid string, status int, err error) {
	sid = newSID("SM")
	resp, err := f.Post(webhook, f.InboundForm(sid, from, to, body), true)
	if err != nil {
		return sid, 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return sid, resp.StatusCode, nil
}

// InboundForm is the form of an inbound-message webhook, as Twilio sends it.
func (f *Fake) InboundForm(sid, from, to, body string) url.Values {
	return url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "AccountSid": {f.AccountSID}, "From": {from}, "To": {to},
		"Body": {body}, "NumMedia": {"0"}, "NumSegments": {"1"}, "ApiVersion": {"2010-04-01"}}
}

// Post posts a form to a webhook, signed with the account's token when
// sign is true, exactly as Twilio does.
func (f *Fake) Post(webhook string, form url.Values, sign bool) (*http.Response, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, webhook, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	if sign {
		req.Header.Set(sms.SignatureHeader, sms.Sign(f.AuthToken, webhook, form))
	}
	return f.client.Do(req)
}

// Outbox returns every message sent so far.
func (f *Fake) Outbox() []Sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Sent(nil), f.sent...)
}

// SentTo returns the messages sent to a number, oldest first.
func (f *Fake) SentTo(to string) []Sent {
	var out []Sent
	for _, m := range f.Outbox() {
		if m.To == to {
			out = append(out, m)
		}
	}
	return out
}

// WaitSent waits until at least n messages went to a number, and returns
// them; an error after timeout.
func (f *Fake) WaitSent(to string, n int, timeout time.Duration) ([]Sent, error) {
	deadline := time.After(timeout)
	for {
		f.mu.Lock()
		changed := f.changed
		f.mu.Unlock()
		if got := f.SentTo(to); len(got) >= n {
			return got, nil
		}
		select {
		case <-changed:
		case <-deadline:
			return nil, fmt.Errorf("fake twilio: %d messages sent to the phone, want %d", len(f.SentTo(to)), n)
		}
	}
}

func newSID(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
