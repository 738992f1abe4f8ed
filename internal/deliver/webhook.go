package deliver

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Webhook request headers.
const (
	HeaderTimestamp = "X-Chorus-Timestamp"
	HeaderSignature = "X-Chorus-Signature"
	HeaderDelivery  = "X-Chorus-Delivery"
)

// webhookTimeout bounds one webhook request, connection included.
const webhookTimeout = 10 * time.Second

// Sign is the signature of a webhook body sent at timestamp (Unix
// seconds): "sha256=" and the hex HMAC-SHA256, keyed with the webhook's
// secret, of the timestamp, a dot and the body.
func Sign(secret string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a webhook request as a receiver should: the signature
// matches (compared in constant time) and the timestamp is within window of
// now, so a captured request cannot be replayed later.
func Verify(secret, timestamp, signature string, body []byte, now time.Time, window time.Duration) error {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return errors.New("bad timestamp")
	}
	if d := now.Sub(time.Unix(ts, 0)); d > window || d < -window {
		return errors.New("timestamp outside the replay window")
	}
	if !hmac.Equal([]byte(Sign(secret, ts, body)), []byte(signature)) {
		return errors.New("signature does not match")
	}
	return nil
}

// newWebhookClient follows no redirects: a receiver that moved must be
// updated by an admin, and a redirect must not carry signed data elsewhere.
func newWebhookClient() *http.Client {
	return &http.Client{
		Timeout:       webhookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// postWebhook sends one signed request. Any 2xx answer is success. Errors
// never include the URL (it may carry a token) or the secret.
func postWebhook(ctx context.Context, client *http.Client, target, secret, deliveryID string, body []byte, now time.Time) error {
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return errors.New("the webhook address is not valid")
	}
	ts := now.Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Chorus-Webhook/1")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(secret, ts, body))
	req.Header.Set(HeaderDelivery, deliveryID)
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("webhook request failed: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return fmt.Errorf("the receiver answered %d; redirects are not followed", resp.StatusCode)
	}
	return fmt.Errorf("the receiver answered %d", resp.StatusCode)
}
