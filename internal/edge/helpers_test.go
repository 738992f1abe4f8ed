package edge_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/api"
	"github.com/chorus-hr/chorus/frontend"
	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// vanProgram is the main server's side: an organization with a van site.
type vanProgram struct {
	db   *database.DB
	st   *store.Store
	org  models.Organization
	site models.Site
}

func newVanProgram(t *testing.T, mainDB *database.DB) vanProgram {
	t.Helper()
	ctx := context.Background()
	p := vanProgram{db: mainDB, st: store.New(mainDB)}
	var err error
	if p.org, err = p.st.CreateOrganization(ctx, "Van Program"); err != nil {
		t.Fatal(err)
	}
	if p.site, err = p.st.CreateSite(ctx, p.org.ID, store.SiteInput{Name: "Van", Kind: "mobile", Setting: "rural", TimeZone: "America/Chicago"}); err != nil {
		t.Fatal(err)
	}
	return p
}

// enrolledVan is a van laptop added upstream for the program's van site and
// enrolled over real HTTP: its own SQLite database, its client with the
// device token, and a syncer for it.
type enrolledVan struct {
	device models.EdgeDevice
	db     *database.DB
	st     *store.Store
	client *edge.Client
	syncer *edge.Syncer
}

// enrollVan adds and enrolls a van laptop; what the program holds by then is
// what the van receives at enrollment.
func (p vanProgram) enrollVan(t *testing.T) enrolledVan {
	t.Helper()
	ctx := context.Background()
	device, en, err := p.st.By(nil).CreateEdgeDevice(ctx, p.org.ID, p.site.ID, "Van laptop")
	if err != nil {
		t.Fatal(err)
	}
	srv := upstream(t, p.db)
	van := testutil.NewDB(t, database.SQLite)
	client := edge.NewClient(srv.URL, "")
	enrolled, err := client.Enroll(ctx, en.Code)
	if err != nil {
		t.Fatal(err)
	}
	if err := edge.SaveEnrollment(ctx, van.DB, srv.URL, enrolled, time.Now()); err != nil {
		t.Fatal(err)
	}
	client.Token = enrolled.Token
	return enrolledVan{device: device, db: van, st: store.New(van), client: client,
		syncer: &edge.Syncer{DB: van.DB, Client: client, Log: testutil.Logger(), Every: time.Second, MaxBackoff: time.Second, Now: time.Now}}
}

// upstream serves the main server's API on db over real HTTP.
func upstream(t *testing.T, db *database.DB) *httptest.Server {
	t.Helper()
	handler, err := api.New(api.Deps{Config: &config.Config{BaseURL: "http://main.test"}, DB: db, Log: testutil.Logger(),
		Metrics: metrics.New(), Frontend: frontend.Dist()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv
}
