-- +goose Up
-- Words in free text that alert staff at once (a bad batch, an overdose),
-- and the "Need help now?" resources the kiosk shows; both per organization.
ALTER TABLE organizations ADD COLUMN urgent_words jsonb NOT NULL
    DEFAULT '["bad batch", "overdose", "xylazine", "fentanyl", "carfentanil", "tranq", "mala mezcla", "sobredosis", "xilacina", "fentanilo"]';
ALTER TABLE organizations ADD COLUMN resources jsonb;

-- The staff inbox: alerts and, later, routed summaries. An alert about a
-- participant's words carries the site and the day, never the words.
CREATE TABLE alerts (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          uuid REFERENCES sites(id) ON DELETE CASCADE,
    day              date NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('urgent_words')),
    matched          jsonb NOT NULL DEFAULT '[]',
    feedback_text_id uuid REFERENCES feedback_texts(id) ON DELETE SET NULL,
    read_by          jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX alerts_org_day ON alerts (organization_id, day DESC);

-- A receipt code lets a participant look up, later and without an account,
-- what became of the topics they raised. Only its hash is kept.
ALTER TABLE submissions ADD COLUMN receipt_hash bytea;
CREATE INDEX submissions_receipt ON submissions (receipt_hash);

-- +goose Down
DROP INDEX submissions_receipt;
ALTER TABLE submissions DROP COLUMN receipt_hash;
DROP TABLE alerts;
ALTER TABLE organizations DROP COLUMN resources;
ALTER TABLE organizations DROP COLUMN urgent_words;
