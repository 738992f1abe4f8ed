package sms_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/sms"
	"github.com/chorus-hr/chorus/internal/sms/smstest"
)

// TestSignMatchesTwilio checks Sign against a vector from Twilio's request
// validation documentation (and its libraries' tests).
func TestSignMatchesTwilio(t *testing.T) {
	form := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
		"From": {"+12349013030"}, "To": {"+18005551212"}}
	got := sms.Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form)
	if want := "0/KCTR6DLpKmkAf8muzZqo1nDgQ="; got != want {
		t.Fatalf("signature %q, want %q", got, want)
	}
}

func TestInboundSignature(t *testing.T) {
	creds := sms.Credentials{AccountSID: "AC1", AuthToken: "secret"}
	const hook = "https://chorus.example/api/v1/sms/x/inbound"
	form := url.Values{"MessageSid": {"SM1"}, "AccountSid": {"AC1"}, "From": {"+15550001111"}, "To": {"+15550002222"}, "Body": {"HOLA"}}
	request := func(sig string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/sms/x/inbound", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if sig != "" {
			r.Header.Set(sms.SignatureHeader, sig)
		}
		return r
	}
	tw := sms.NewTwilio("")
	in, err := tw.Inbound(request(sms.Sign("secret", hook, form)), hook, creds)
	if err != nil || in.Body != "HOLA" || in.MessageID != "SM1" {
		t.Fatalf("good signature: %+v, %v", in, err)
	}
	for name, sig := range map[string]string{
		"missing":     "",
		"wrong token": sms.Sign("other", hook, form),
		"wrong url":   sms.Sign("secret", "https://evil.example/api/v1/sms/x/inbound", form),
	} {
		if _, err := tw.Inbound(request(sig), hook, creds); !errors.Is(err, sms.ErrSignature) {
			t.Errorf("%s signature: %v, want sms.ErrSignature", name, err)
		}
	}
	if _, err := tw.Inbound(request(sms.Sign("secret", hook, form)), hook, sms.Credentials{AccountSID: "AC2", AuthToken: "secret"}); !errors.Is(err, sms.ErrSignature) {
		t.Errorf("another account's webhook: %v, want sms.ErrSignature", err)
	}
}

func TestSendThroughFake(t *testing.T) {
	f := smstest.NewFake("AC1", "secret")
	defer f.Close()
	tw := sms.NewTwilio(f.URL())
	sid, err := tw.Send(context.Background(), sms.Credentials{AccountSID: "AC1", AuthToken: "secret"},
		sms.Outbound{From: "+15550002222", To: "+15550001111", Body: "hello"})
	if err != nil || !strings.HasPrefix(sid, "SM") {
		t.Fatalf("send: %q, %v", sid, err)
	}
	got, err := f.WaitSent("+15550001111", 1, time.Second)
	if err != nil || got[0].Body != "hello" {
		t.Fatalf("fake got %+v, %v", got, err)
	}
	_, err = tw.Send(context.Background(), sms.Credentials{AccountSID: "AC1", AuthToken: "wrong"}, sms.Outbound{From: "+1", To: "+15550001111", Body: "x"})
	var se *sms.SendError
	if !errors.As(err, &se) || se.Status != http.StatusUnauthorized {
		t.Fatalf("wrong token: %v", err)
	}
	if strings.Contains(err.Error(), "5550001111") {
		t.Fatalf("the error names the number: %v", err)
	}
}
