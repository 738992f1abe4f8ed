package sms

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestSignMatchesTwilio checks Sign against a vector from Twilio's request
// validation documentation (and its libraries' tests).
func TestSignMatchesTwilio(t *testing.T) {
	form := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
		"From": {"+12349013030"}, "To": {"+18005551212"}}
	got := Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form)
	if want := "0/KCTR6DLpKmkAf8muzZqo1nDgQ="; got != want {
		t.Fatalf("signature %q, want %q", got, want)
	}
}

func TestInboundSignature(t *testing.T) {
	creds := Credentials{AccountSID: "AC1", AuthToken: "secret"}
	const hook = "https://chorus.example/api/v1/sms/x/inbound"
	form := url.Values{"MessageSid": {"SM1"}, "AccountSid": {"AC1"}, "From": {"+15550001111"}, "To": {"+15550002222"}, "Body": {"HOLA"}}
	request := func(sig string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/sms/x/inbound", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if sig != "" {
			r.Header.Set(SignatureHeader, sig)
		}
		return r
	}
	tw := NewTwilio("")
	in, err := tw.Inbound(request(Sign("secret", hook, form)), hook, creds)
	if err != nil || in.Body != "HOLA" || in.MessageID != "SM1" {
		t.Fatalf("good signature: %+v, %v", in, err)
	}
	for name, sig := range map[string]string{
		"missing":     "",
		"wrong token": Sign("other", hook, form),
		"wrong url":   Sign("secret", "https://evil.example/api/v1/sms/x/inbound", form),
	} {
		if _, err := tw.Inbound(request(sig), hook, creds); !errors.Is(err, ErrSignature) {
			t.Errorf("%s signature: %v, want ErrSignature", name, err)
		}
	}
	if _, err := tw.Inbound(request(Sign("secret", hook, form)), hook, Credentials{AccountSID: "AC2", AuthToken: "secret"}); !errors.Is(err, ErrSignature) {
		t.Errorf("another account's webhook: %v, want ErrSignature", err)
	}
}

func TestSendThroughFake(t *testing.T) {
	f := NewFake("AC1", "secret")
	defer f.Close()
	tw := NewTwilio(f.URL())
	sid, err := tw.Send(context.Background(), Credentials{AccountSID: "AC1", AuthToken: "secret"},
		Outbound{From: "+15550002222", To: "+15550001111", Body: "hello"})
	if err != nil || !strings.HasPrefix(sid, "SM") {
		t.Fatalf("send: %q, %v", sid, err)
	}
	got, err := f.WaitSent("+15550001111", 1, time.Second)
	if err != nil || got[0].Body != "hello" {
		t.Fatalf("fake got %+v, %v", got, err)
	}
	_, err = tw.Send(context.Background(), Credentials{AccountSID: "AC1", AuthToken: "wrong"}, Outbound{From: "+1", To: "+15550001111", Body: "x"})
	var se *SendError
	if !errors.As(err, &se) || se.Status != http.StatusUnauthorized {
		t.Fatalf("wrong token: %v", err)
	}
	if strings.Contains(err.Error(), "5550001111") {
		t.Fatalf("the error names the number: %v", err)
	}
}
