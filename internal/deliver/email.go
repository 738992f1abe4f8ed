package deliver

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Email is one message to send.
type Email struct {
	To       string
	Subject  string
	Text     string
	HTML     string
	Language string
}

// Mailer sends e-mail.
type Mailer interface {
	Send(ctx context.Context, e Email) error
}

// SMTP sends e-mail through one SMTP server: smtp://user:pass@host:port
// upgrades with STARTTLS when the server offers it (port 587 by default);
// smtps://… uses TLS from the first byte (port 465 by default).
type SMTP struct {
	host     string
	port     int
	implicit bool
	user     string
	password string
	from     string
}

// smtpTimeout bounds one SMTP conversation.
const smtpTimeout = 30 * time.Second

// NewSMTP reads CHORUS_SMTP_URL and CHORUS_SMTP_FROM. Its errors never
// repeat the URL, which may hold a password.
func NewSMTP(rawURL, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, errors.New("CHORUS_SMTP_URL: want smtp://user:password@host:port or smtps://…")
	}
	if strings.TrimSpace(from) == "" {
		return nil, errors.New("CHORUS_SMTP_FROM: the sender address is required with CHORUS_SMTP_URL")
	}
	s := &SMTP{host: u.Hostname(), implicit: u.Scheme == "smtps", from: from, port: 587}
	if s.implicit {
		s.port = 465
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil {
			return nil, errors.New("CHORUS_SMTP_URL: the port must be a number")
		}
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	if err := mail.NewMsg().From(from); err != nil {
		return nil, fmt.Errorf("CHORUS_SMTP_FROM %q: not an e-mail address", from)
	}
	return s, nil
}

// Send delivers one message as multipart/alternative: plain text first,
// then HTML, with the recipient's language in Content-Language.
func (s *SMTP) Send(ctx context.Context, e Email) error {
	m := mail.NewMsg()
	if err := m.From(s.from); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := m.To(e.To); err != nil {
		return errors.New("the recipient's address is not valid")
	}
	m.Subject(e.Subject)
	m.SetGenHeader("Content-Language", e.Language)
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetMessageID()
	m.SetDate()
	m.SetBodyString(mail.TypeTextPlain, e.Text)
	m.AddAlternativeString(mail.TypeTextHTML, e.HTML)

	opts := []mail.Option{mail.WithPort(s.port), mail.WithTimeout(smtpTimeout)}
	if s.implicit {
		opts = append(opts, mail.WithSSL())
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if s.user != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(s.user), mail.WithPassword(s.password))
	}
	c, err := mail.NewClient(s.host, opts...)
	if err != nil {
		return s.clean(err)
	}
	return s.clean(c.DialAndSendWithContext(ctx, m))
}

// clean keeps the password out of an error that goes to the delivery log.
func (s *SMTP) clean(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if s.password != "" {
		msg = strings.ReplaceAll(msg, s.password, "***")
	}
	return errors.New("e-mail not sent: " + msg)
}
