package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/url"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for the admin connection

	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/migrations"
	"github.com/chorus-hr/chorus/models"
)

// fixture is the benchmark's database: one organization, two sites.
type fixture struct {
	url   string
	db    *database.DB
	st    *store.Store
	org   models.Organization
	sites []models.Site
	needs []string
}

// openAdmin connects to the server named by adminURL, which must be on
// this machine: the benchmark sends traffic nowhere else.
func openAdmin(ctx context.Context, adminURL string) (*sql.DB, *url.URL, error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return nil, nil, fmt.Errorf("-pg: %w", err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, nil, fmt.Errorf("-pg: %q is not a loopback address; the benchmark only runs against this machine", u.Hostname())
	}
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return nil, nil, err
	}
	if err := admin.PingContext(ctx); err != nil {
		_ = admin.Close()
		return nil, nil, fmt.Errorf("PostgreSQL at %s: %w", u.Host, err)
	}
	return admin, u, nil
}

// createDatabase makes a fresh database, migrates it and adds the program
// and its two sites through the store, as an admin would.
func createDatabase(ctx context.Context, admin *sql.DB, server *url.URL, name string) (*fixture, error) {
	// The name is made by this program (letters, digits, underscores).
	if _, err := admin.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %q", name)); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u := *server
	u.Path = "/" + name
	f := &fixture{url: u.String()}
	var err error
	if f.db, err = database.Open(ctx, f.url, quietLog()); err != nil {
		return nil, err
	}
	if _, err := migrations.Up(ctx, f.db); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	f.st = store.New(f.db)
	if f.org, err = f.st.CreateOrganization(ctx, "Benchmark Harm Reduction Program"); err != nil {
		return nil, err
	}
	for _, in := range []store.SiteInput{
		{Name: "Storefront", Kind: models.SiteFixed, Setting: models.SiteUrban, TimeZone: "America/New_York"},
		{Name: "Van", Kind: models.SiteMobile, Setting: models.SiteRural, TimeZone: "America/Chicago"},
	} {
		s, err := f.st.CreateSite(ctx, f.org.ID, in)
		if err != nil {
			return nil, err
		}
		f.sites = append(f.sites, s)
	}
	for _, e := range catalog.Needs {
		f.needs = append(f.needs, e.Code)
	}
	return f, nil
}

// generator makes submissions shaped like a real program's: two sites
// (the storefront busier), days over the span weighted by a slow growth
// and quieter weekends, 1–6 needs with a few popular ones, up to three
// priorities among them, 0–3 strengths, and each "about you" question
// answered by about 60%.
type generator struct {
	rng       *rand.Rand
	f         *fixture
	days      []models.Day
	cumDay    []float64
	needW     []float64
	strengths []string
	langs     []string
	n, total  int
}

func newGenerator(f *fixture, total int, first models.Day, days int, seed uint64) *generator {
	g := &generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), f: f, total: total, langs: []string{"en", "en", "en", "es"}}
	sum := 0.0
	for i := range days {
		d := first.AddDays(i)
		w := 1 + 0.6*float64(i)/float64(days)
		if wd := d.Time().Weekday(); wd == time.Saturday || wd == time.Sunday {
			w *= 0.55
		}
		sum += w
		g.days = append(g.days, d)
		g.cumDay = append(g.cumDay, sum)
	}
	for i := range f.needs {
		// Zipf-like: the first needs are chosen far more often.
		g.needW = append(g.needW, 1/math.Pow(float64(i+1), 0.8))
	}
	for _, e := range catalog.Strengths {
		g.strengths = append(g.strengths, e.Code)
	}
	return g
}

// pick draws k distinct indexes with the given weights.
func (g *generator) pick(weights []float64, k int) []int {
	var out []int
	for len(out) < k {
		sum := 0.0
		for i, w := range weights {
			if !slices.Contains(out, i) {
				sum += w
			}
		}
		x := g.rng.Float64() * sum
		for i, w := range weights {
			if slices.Contains(out, i) {
				continue
			}
			if x -= w; x <= 0 {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// Next, Values and Err make the generator a pgx.CopyFromSource: rows are
// made as COPY sends them, never all held in memory.
func (g *generator) Next() bool { g.n++; return g.n <= g.total }

func (g *generator) Values() ([]any, error) {
	day := g.days[sortSearch(g.cumDay, g.rng.Float64()*g.cumDay[len(g.cumDay)-1])]
	site := g.f.sites[0]
	if g.rng.Float64() < 0.4 {
		site = g.f.sites[1]
	}
	chosen := g.pick(g.needW, 1+g.rng.IntN(6))
	needs := make([]string, len(chosen))
	for i, c := range chosen {
		needs[i] = g.f.needs[c]
	}
	var prio []string
	if g.rng.Float64() < 0.85 {
		prio = slices.Clone(needs[:min(len(needs), 1+g.rng.IntN(3))])
		g.rng.Shuffle(len(prio), func(i, j int) { prio[i], prio[j] = prio[j], prio[i] })
	}
	var strengths []string
	for _, i := range g.rng.Perm(len(g.strengths))[:g.rng.IntN(4)] {
		strengths = append(strengths, g.strengths[i])
	}
	about := map[string]string{}
	for _, q := range catalog.AboutQuestions {
		if g.rng.Float64() < 0.6 {
			b := catalog.About[q]
			about[q] = b[g.rng.IntN(len(b))]
		}
	}
	return []any{uuid.New(), uuid.MustParse(g.f.org.ID), uuid.MustParse(site.ID), g.langs[g.rng.IntN(len(g.langs))],
		day.Time(), jsonOf(needs), jsonOf(prio), jsonOf(strengths), jsonOf(about)}, nil
}

func (g *generator) Err() error { return nil }

func jsonOf(v any) json.RawMessage {
	if s, ok := v.([]string); ok && s == nil {
		return json.RawMessage("[]")
	}
	b, _ := json.Marshal(v)
	return b
}

// sortSearch is the first index whose cumulative weight reaches x.
func sortSearch(cum []float64, x float64) int {
	i, _ := slices.BinarySearch(cum, x)
	return min(i, len(cum)-1)
}

// load copies the submissions in with COPY, then ANALYZE.
func load(ctx context.Context, f *fixture, g *generator) (int64, error) {
	conn, err := pgx.Connect(ctx, f.url)
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.Background())
	cols := []string{"id", "organization_id", "site_id", "language", "day", "needs", "priorities", "strengths", "about"}
	n, err := conn.CopyFrom(ctx, pgx.Identifier{"submissions"}, cols, g)
	if err != nil {
		return n, fmt.Errorf("copy submissions: %w", err)
	}
	if _, err := conn.Exec(ctx, "ANALYZE"); err != nil {
		return n, fmt.Errorf("analyze: %w", err)
	}
	return n, nil
}
