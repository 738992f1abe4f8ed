package edge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Client speaks the sync protocol to the upstream server.
type Client struct {
	Upstream string // base URL, such as https://chorus.example.org
	Token    string // the device token; empty before enrollment
	HTTP     *http.Client
}

// ErrRevoked means upstream refused the device token: the device was
// revoked (or enrolled again elsewhere). Nothing is sent until an admin
// enrolls it again; what the edge holds is kept.
var ErrRevoked = errors.New("upstream refused this device's token: it was revoked or enrolled again; ask an admin for a new code and run chorus edge enroll again (what this van holds is kept)")

// RefusedError is a request upstream answered with a 4xx other than 401:
// it will be refused again as it is, so the edge says so and keeps it.
type RefusedError struct {
	Status  int
	Code    string
	Message string
	Fields  map[string]string
}

func (e *RefusedError) Error() string {
	var fields []string
	for f, r := range e.Fields {
		fields = append(fields, f+" "+r)
	}
	return fmt.Sprintf("upstream refused it (%d %s): %s %s", e.Status, e.Code, e.Message, strings.Join(fields, "; "))
}

// NewClient returns a client with timeouts fit for a van's flaky link.
func NewClient(upstream, token string) *Client {
	return &Client{Upstream: strings.TrimRight(upstream, "/"), Token: token, HTTP: &http.Client{Timeout: 60 * time.Second}}
}

// Enroll trades a one-time code for a device token and the first state.
func (c *Client) Enroll(ctx context.Context, code string) (EnrollResponse, error) {
	var out EnrollResponse
	return out, c.call(ctx, http.MethodPost, PathEnroll, EnrollRequest{Code: code}, &out)
}

// State pulls what the van needs.
func (c *Client) State(ctx context.Context) (State, error) {
	var out State
	return out, c.call(ctx, http.MethodGet, PathState, nil, &out)
}

// Send sends one batch and returns upstream's answer.
func (c *Client) Send(ctx context.Context, b Batch) (BatchResult, error) {
	var out BatchResult
	return out, c.call(ctx, http.MethodPost, PathBatches, b, &out)
}

func (c *Client) call(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Upstream+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("upstream %s: %w", c.Upstream, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return fmt.Errorf("upstream %s: %w", c.Upstream, err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized && path != PathEnroll:
		return ErrRevoked
	case resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests:
		var eb struct {
			Error RefusedError `json:"error"`
		}
		_ = json.Unmarshal(data, &eb)
		eb.Error.Status = resp.StatusCode
		return &eb.Error
	case resp.StatusCode >= 300:
		return fmt.Errorf("upstream %s answered %s; will try again", c.Upstream, resp.Status)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("upstream %s: unreadable answer: %w", c.Upstream, err)
	}
	return nil
}
