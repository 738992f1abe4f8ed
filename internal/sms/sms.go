// Package sms speaks to an SMS provider: it checks and reads the
// provider's webhooks (inbound messages, delivery status) and sends
// messages over its REST API. It knows nothing about Gin or the database.
//
// A phone number passes through this package only in memory, for the
// length of one request. No error, log line or metric made here ever
// carries one: errors name the provider's status and error code only.
package sms

import (
	"context"
	"errors"
	"net/http"
)

// Credentials are an account's: its identifier and its secret.
type Credentials struct {
	AccountSID string
	AuthToken  string
}

// Inbound is one message a person sent to the organization's number.
type Inbound struct {
	// MessageID is the provider's id for the message (Twilio's MessageSid):
	// a replayed webhook carries the same one.
	MessageID string
	// From is the sender's number: held in memory during the request only.
	From string
	// To is the organization's number the message was sent to.
	To   string
	Body string
}

// Status is a delivery status callback for a message Chorus sent.
type Status struct {
	MessageID string
	// State is the provider's status word, such as "delivered" or "failed".
	State string
	// ErrorCode is the provider's error code, "" when none.
	ErrorCode string
}

// Outbound is a message to send.
type Outbound struct {
	From, To, Body string
	// StatusCallback is where the provider reports delivery; "" for none.
	StatusCallback string
}

// Provider is one SMS provider's webhooks and REST API.
type Provider interface {
	// Inbound checks a webhook request's signature against the account's
	// secret and url (the full address the provider called, as configured
	// with it) and reads the message. A request that is not signed
	// rightly is ErrSignature.
	Inbound(r *http.Request, url string, creds Credentials) (Inbound, error)
	// Status checks and reads a delivery status callback.
	Status(r *http.Request, url string, creds Credentials) (Status, error)
	// Send sends one message and returns the provider's id for it.
	Send(ctx context.Context, creds Credentials, msg Outbound) (string, error)
	// Reply is the body and content type with which a webhook is answered
	// when Chorus sends its replies over the REST API.
	Reply() (contentType string, body []byte)
}

// ErrSignature means a webhook's signature is missing or wrong.
var ErrSignature = errors.New("sms: webhook signature missing or wrong")

// ErrMalformed means a signed webhook lacks a field Chorus needs.
var ErrMalformed = errors.New("sms: webhook lacks a field")
