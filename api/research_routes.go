package api

import (
	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// routeResearch wires the research loop (issue 15). Admins manage it;
// coding needs the coder permission, which an admin gives per person.
func routeResearch(v1 *gin.RouterGroup, st *store.Store, admin, staff gin.HandlerFunc) {
	var (
		coders    = &ResearchCoderAPI{Store: st}
		codebooks = &ResearchCodebookAPI{Store: st}
		excerpts  = &ResearchExcerptAPI{Store: st, Scrub: privacy.Scrub}
		codings   = &ResearchCodingAPI{Store: st}
		samples   = &ResearchSampleAPI{Store: st}
		exchange  = &ResearchExchangeAPI{Store: st}
		findings  = &ResearchFindingAPI{Store: st}
		counts    = &ResearchCountAPI{Store: st}
		asks      = &ResearchAskAPI{Store: st}
		reads     = require(models.RoleAdmin, models.RoleStaff, models.RolePolicymaker)
		coder     = requireCoder(st)
		manages   = requireCoderOrAdmin(st)
	)
	rs := v1.Group("/research")
	rs.GET("/access", staff, coders.Access)
	rs.GET("/coders", admin, coders.List)
	rs.PUT("/coders/:id", admin, coders.Set)

	rs.GET("/codebooks", staff, manages, codebooks.List)
	rs.POST("/codebooks/:id/codes", staff, manages, codebooks.AddCode)
	rs.PATCH("/codes/:id", staff, manages, codebooks.EditCode)
	rs.DELETE("/codes/:id", staff, manages, codebooks.RemoveCode)
	rs.GET("/codes/:id/versions", staff, manages, codebooks.Versions)
	rs.GET("/codebooks/:id/versions", staff, manages, codebooks.History)
	rs.GET("/codebooks/:id/diff", staff, manages, codebooks.Diff)

	rs.GET("/excerpts", staff, coder, excerpts.List)
	rs.GET("/excerpts/:id", staff, coder, excerpts.Get)
	rs.POST("/transcripts", staff, manages, excerpts.ImportTranscript)
	rs.POST("/excerpts/:id/codings", staff, coder, codings.Add)
	rs.DELETE("/codings/:id", staff, coder, codings.Remove)
	rs.POST("/excerpts/:id/submit", staff, coder, codings.Submit)
	rs.POST("/memos", staff, coder, codings.AddMemo)

	rs.GET("/codebooks/:id/qdc", staff, manages, exchange.ExportCodebook)
	rs.POST("/codebooks/import", staff, manages, exchange.ImportCodebook)
	rs.GET("/export/qdpx", admin, exchange.ExportProject)
	rs.GET("/export/codings.csv", admin, exchange.ExportCodingsCSV)

	rs.GET("/samples", admin, samples.List)
	rs.POST("/samples", admin, samples.Draw)
	rs.GET("/samples/:id/agreement", admin, samples.Agreement)
	rs.POST("/samples/:id/reconcile", admin, samples.Reconcile)

	// Findings: written by admins and coders, read by policymakers too
	// (with protected counts).
	rs.GET("/findings", reads, findings.List)
	rs.POST("/findings", staff, manages, findings.Create)
	rs.GET("/findings/:id", reads, findings.Get)
	rs.PATCH("/findings/:id", staff, manages, findings.Update)
	// Code frequencies and co-occurrences by month and site (protected
	// counts for policymakers).
	rs.GET("/counts", reads, counts.Get)
	// Member checking at the kiosks: admins and staff put a finding to them.
	rs.POST("/findings/:id/asks", staff, asks.Ask)
	rs.DELETE("/finding-asks/:id", staff, asks.Stop)
}
