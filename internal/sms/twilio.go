package sms

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// TwilioAPI is the address of Twilio's REST API.
const TwilioAPI = "https://api.twilio.com"

// SignatureHeader carries Twilio's signature of a webhook.
const SignatureHeader = "X-Twilio-Signature"

// maxWebhookBytes bounds a webhook's form: an SMS is at most 1,600
// characters, and Twilio adds a few dozen short fields.
const maxWebhookBytes = 64 << 10

// Twilio is the Twilio provider.
type Twilio struct {
	// BaseURL is TwilioAPI, or a fake's address in tests.
	BaseURL string
	Client  *http.Client
}

// NewTwilio returns the provider speaking to base ("" for TwilioAPI).
func NewTwilio(base string) *Twilio {
	if base == "" {
		base = TwilioAPI
	}
	return &Twilio{BaseURL: strings.TrimRight(base, "/"), Client: &http.Client{Timeout: 10 * time.Second}}
}

// Sign is Twilio's signature of a webhook: the base64 HMAC-SHA1, keyed
// with the account's auth token, of the full URL followed by every POST
// parameter's name and value, sorted by name (then value), with nothing
// in between (https://www.twilio.com/docs/usage/security).
func Sign(authToken, fullURL string, form url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(fullURL))
	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		values := slices.Clone(form[name])
		slices.Sort(values)
		for _, v := range values {
			mac.Write([]byte(name))
			mac.Write([]byte(v))
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// verified reads a webhook's form and checks its signature.
func verified(r *http.Request, fullURL string, creds Credentials) (url.Values, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxWebhookBytes)
	if err := r.ParseForm(); err != nil {
		return nil, ErrMalformed
	}
	got := r.Header.Get(SignatureHeader)
	if got == "" || creds.AuthToken == "" {
		return nil, ErrSignature
	}
	want := Sign(creds.AuthToken, fullURL, r.PostForm)
	if !hmac.Equal([]byte(got), []byte(want)) {
		return nil, ErrSignature
	}
	// A webhook for another account is refused like a forged one.
	if sid := r.PostForm.Get("AccountSid"); sid != "" && sid != creds.AccountSID {
		return nil, ErrSignature
	}
	return r.PostForm, nil
}

// Inbound reads Twilio's incoming-message webhook.
func (t *Twilio) Inbound(r *http.Request, fullURL string, creds Credentials) (Inbound, error) {
	form, err := verified(r, fullURL, creds)
	if err != nil {
		return Inbound{}, err
	}
	in := Inbound{MessageID: form.Get("MessageSid"), From: form.Get("From"), To: form.Get("To"), Body: form.Get("Body")}
	if in.MessageID == "" {
		in.MessageID = form.Get("SmsSid")
	}
	if in.MessageID == "" || in.From == "" {
		return Inbound{}, ErrMalformed
	}
	return in, nil
}

// Status reads Twilio's status callback.
func (t *Twilio) Status(r *http.Request, fullURL string, creds Credentials) (Status, error) {
	form, err := verified(r, fullURL, creds)
	if err != nil {
		return Status{}, err
	}
	st := Status{MessageID: form.Get("MessageSid"), State: form.Get("MessageStatus"), ErrorCode: form.Get("ErrorCode")}
	if st.MessageID == "" || st.State == "" {
		return Status{}, ErrMalformed
	}
	return st, nil
}

// Reply is an empty TwiML response: Chorus's replies go over the REST API.
func (t *Twilio) Reply() (string, []byte) {
	return "text/xml; charset=utf-8", []byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>`)
}

// SendError is a refused send: Twilio's HTTP status and error code, and
// never its message, which may quote the number.
type SendError struct {
	Status int
	Code   int
}

func (e *SendError) Error() string {
	return fmt.Sprintf("twilio: send refused with status %d, error code %d", e.Status, e.Code)
}

// Send posts a message to Twilio's Messages resource.
func (t *Twilio) Send(ctx context.Context, creds Credentials, msg Outbound) (string, error) {
	form := url.Values{"To": {msg.To}, "From": {msg.From}, "Body": {msg.Body}}
	if msg.StatusCallback != "" {
		form.Set("StatusCallback", msg.StatusCallback)
	}
	endpoint := t.BaseURL + "/2010-04-01/Accounts/" + url.PathEscape(creds.AccountSID) + "/Messages.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("twilio: build send request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(creds.AccountSID, creds.AuthToken)
	resp, err := t.Client.Do(req)
	if err != nil {
		// A transport error names the URL only (the account, not a number).
		return "", fmt.Errorf("twilio: send: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		SID  string `json:"sid"`
		Code int    `json:"code"`
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("twilio: read send answer: %w", err)
	}
	_ = json.Unmarshal(data, &out)
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return "", &SendError{Status: resp.StatusCode, Code: out.Code}
	}
	return out.SID, nil
}
