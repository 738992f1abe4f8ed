-- +goose Up
-- The coding workspace pages newest day first (day DESC, id DESC): this
-- index serves that order backwards without sorting 10,000 excerpts, and
-- makes research_excerpts_list (organization_id, day), its prefix, redundant.
CREATE INDEX research_excerpts_page ON research_excerpts (organization_id, day, id);
DROP INDEX research_excerpts_list;

-- +goose Down
CREATE INDEX research_excerpts_list ON research_excerpts (organization_id, day);
DROP INDEX research_excerpts_page;
