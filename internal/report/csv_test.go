package report_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/models"
)

func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1": "'+1", "-2+3": "'-2+3", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "Housing": "Housing", "": "", "12": "12", "a=b": "a=b",
	} {
		if got := report.Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteTableNeutralizesAndSuppresses(t *testing.T) {
	tb := report.Table{
		Columns: []report.Column{{Key: "2026-03-01"}},
		Rows: []report.Row{{Code: "housing", Label: models.Text{"en": "=cmd|' /C calc'!A0"}, Cells: []privacy.Cell{{Value: 12}},
			Total: privacy.Cell{Value: 12}, Share: privacy.Percent{Value: 50}},
			{Code: "food", Label: models.Text{"en": "Food"}, Cells: []privacy.Cell{{Suppressed: true}}, Total: privacy.Cell{Suppressed: true}, Share: privacy.Percent{Suppressed: true}}},
		Respondents: []privacy.Cell{{Value: 24}}, RespondentsTotal: privacy.Cell{Value: 24},
	}
	var buf bytes.Buffer
	if err := report.WriteTable(&buf, tb, "en"); err != nil {
		t.Fatal(err)
	}
	lines, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if lines[1][1] != "'=cmd|' /C calc'!A0" || lines[2][2] != "suppressed" || lines[3][0] != "respondents" || lines[3][2] != "24" {
		t.Fatalf("csv = %q", lines)
	}
}
