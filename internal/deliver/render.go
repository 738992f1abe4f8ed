package deliver

import (
	"bytes"
	"embed"
	"encoding/json"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/chorus-hr/chorus/internal/privacy"
)

var timeUTC = time.UTC

//go:embed templates/*.tmpl
var templateFiles embed.FS

// rendered is one message for one recipient: the e-mail's subject and
// parts, and the JSON a webhook or the in-app inbox gets.
type rendered struct {
	Subject string
	Text    string
	HTML    string
	JSON    []byte
}

// UrgentView is an urgent alert as it is sent: the site, the day and which
// of the program's urgent words matched — never the participant's text.
type UrgentView struct {
	Event        string   `json:"event"`
	Test         bool     `json:"test"`
	Organization string   `json:"organization"`
	Rule         string   `json:"rule"`
	Site         string   `json:"site"`
	Day          string   `json:"day"`
	Matched      []string `json:"matched"`
	Link         string   `json:"link"`
}

func funcs(lang string) map[string]any {
	return map[string]any{
		"t":     func(key string, args ...any) string { return tr(lang, key, args...) },
		"cell":  func(c privacy.Cell) string { return cellText(lang, c) },
		"delta": deltaText,
		"join":  strings.Join,
		"dec":   func(n int) int { return n - 1 },
	}
}

var (
	textTemplates = texttemplate.Must(texttemplate.New("").Funcs(funcs("en")).ParseFS(templateFiles, "templates/*.txt.tmpl"))
	htmlTemplates = htmltemplate.Must(htmltemplate.New("").Funcs(funcs("en")).ParseFS(templateFiles, "templates/*.html.tmpl"))
)

// execute renders one message in both forms. The HTML is escaped by
// html/template: names, titles and quotes cannot inject markup.
func execute(name, lang string, data any) (text, html string, err error) {
	tt, err := textTemplates.Clone()
	if err != nil {
		return "", "", err
	}
	ht, err := htmlTemplates.Clone()
	if err != nil {
		return "", "", err
	}
	var tb, hb bytes.Buffer
	if err := tt.Funcs(funcs(lang)).ExecuteTemplate(&tb, name+".txt.tmpl", data); err != nil {
		return "", "", err
	}
	if err := ht.Funcs(funcs(lang)).ExecuteTemplate(&hb, name+".html.tmpl", data); err != nil {
		return "", "", err
	}
	return tb.String(), hb.String(), nil
}

func (v UrgentView) render(lang string) (rendered, error) {
	subject := tr(lang, "urgent.subject", v.Site, v.Day)
	if v.Test {
		subject = tr(lang, "test.prefix") + subject
	}
	return renderAll("urgent", lang, subject, v)
}

func (v DigestView) render(lang string) (rendered, error) {
	subject := tr(lang, "digest.subject."+v.Schedule, v.Period.From.String(), v.Period.To.String())
	if v.Test {
		subject = tr(lang, "test.prefix") + subject
	}
	return renderAll("digest", lang, subject, v)
}

func renderAll(name, lang, subject string, v any) (rendered, error) {
	text, html, err := execute(name, lang, struct {
		Subject string
		V       any
	}{subject, v})
	if err != nil {
		return rendered{}, err
	}
	body, err := json.Marshal(v)
	return rendered{Subject: subject, Text: text, HTML: html, JSON: body}, err
}

// cellText is a count as a reader sees it: the number, or "not shown".
func cellText(lang string, c privacy.Cell) string {
	if c.Suppressed {
		return tr(lang, "hidden")
	}
	return strconv.Itoa(c.Value)
}

func deltaText(d *int) string {
	switch {
	case d == nil:
		return ""
	case *d > 0:
		return "+" + strconv.Itoa(*d)
	case *d < 0:
		return "−" + strconv.Itoa(-*d)
	}
	return "±0"
}
