package store

import (
	"context"
	"encoding/hex"
	"encoding/json"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/models"
)

// A batch of votes is read and written with statements whose text never
// changes: the rows travel as one JSON document per table, which the
// database unpacks (jsonb_to_recordset, json_each). A statement whose text
// grew with the batch, as a multi-row VALUES list does, was parsed and
// planned again for every batch size, and PostgreSQL's driver prepared each
// size anew and evicted the others from its statement cache.

type voteKeyRow struct {
	Round       string `json:"round_id"`
	Participant string `json:"participant_id"`
}

type voteRow struct {
	voteKeyRow
	VoteID string          `json:"vote_id"`
	Choice json.RawMessage `json:"choice"`
}

type participantRow struct {
	ID      string `json:"id"`
	Session string `json:"session_id"`
	// Hash is the token's hash in hexadecimal.
	Hash string `json:"token_hash"`
}

type tallyRow struct {
	ID    string          `json:"id"`
	Seq   int64           `json:"seq"`
	Tally json.RawMessage `json:"tally"`
}

// priorVotesSQL looks each key up in live_votes' primary key: a LATERAL
// subquery with LIMIT 1 keeps PostgreSQL from hashing the keys and reading
// the whole round instead, which it did for a room of a thousand, taking a
// JSON document for a hundred keys.
var priorVotesSQL = map[database.Dialect]string{
	database.Postgres: `SELECT k.round_id, k.participant_id, v.vote_id, v.choice
FROM jsonb_to_recordset(?::jsonb) AS k (round_id uuid, participant_id uuid)
CROSS JOIN LATERAL (SELECT vote_id, choice FROM live_votes WHERE round_id = k.round_id AND participant_id = k.participant_id LIMIT 1) AS v`,
	database.SQLite: `SELECT v.round_id, v.participant_id, v.vote_id, v.choice
FROM json_each(?) AS k JOIN live_votes AS v ON v.round_id = k.value->>'round_id' AND v.participant_id = k.value->>'participant_id'`,
}

// priorVotes reads the votes the batch's participants already have in the
// rounds it votes in.
func (s *Store) priorVotes(ctx context.Context, votes []VoteInput, rounds map[string]*models.LiveRound) (map[voteKey]models.LiveVote, error) {
	keys := make([]voteKeyRow, 0, len(votes))
	for _, v := range votes {
		if rounds[v.RoundID] != nil {
			keys = append(keys, voteKeyRow{v.RoundID, v.ParticipantID})
		}
	}
	out := make(map[voteKey]models.LiveVote, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	doc, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	rows, err := s.conn(ctx).Raw(priorVotesSQL[s.dialect], string(doc)).Rows()
	if err != nil {
		return nil, translate(err, "prior votes")
	}
	defer rows.Close()
	for rows.Next() {
		var v models.LiveVote
		if err := rows.Scan(&v.RoundID, &v.ParticipantID, &v.VoteID, &v.Choice); err != nil {
			return nil, translate(err, "prior votes")
		}
		out[voteKey{v.RoundID, v.ParticipantID}] = v
	}
	return out, translate(rows.Err(), "prior votes")
}

// storeVotesSQL writes a batch: its new participants, each participant's
// latest vote, and each changed round's tally and seq. PostgreSQL takes
// them in one statement (the votes' foreign keys are checked at its end,
// when the new participants are in); SQLite, which runs in the process,
// in one statement each.
var storeVotesSQL = map[database.Dialect][]string{
	database.Postgres: {`WITH p AS (
	INSERT INTO live_participants (id, session_id, token_hash)
	SELECT id, session_id, decode(token_hash, 'hex') FROM jsonb_to_recordset(?::jsonb) AS x (id uuid, session_id uuid, token_hash text)
	ON CONFLICT DO NOTHING
), v AS (
	INSERT INTO live_votes (round_id, participant_id, vote_id, choice)
	SELECT round_id, participant_id, vote_id, choice FROM jsonb_to_recordset(?::jsonb) AS x (round_id uuid, participant_id uuid, vote_id text, choice jsonb)
	ON CONFLICT (round_id, participant_id) DO UPDATE SET vote_id = excluded.vote_id, choice = excluded.choice
)
UPDATE live_rounds AS r SET seq = x.seq, tally = x.tally
FROM jsonb_to_recordset(?::jsonb) AS x (id uuid, seq bigint, tally jsonb) WHERE r.id = x.id`},
	database.SQLite: {`INSERT INTO live_participants (id, session_id, token_hash)
SELECT value->>'id', value->>'session_id', unhex(value->>'token_hash') FROM json_each(?) WHERE true
ON CONFLICT DO NOTHING`,
		`INSERT INTO live_votes (round_id, participant_id, vote_id, choice)
SELECT value->>'round_id', value->>'participant_id', value->>'vote_id', value->'choice' FROM json_each(?) WHERE true
ON CONFLICT (round_id, participant_id) DO UPDATE SET vote_id = excluded.vote_id, choice = excluded.choice`,
		`UPDATE live_rounds SET seq = x.value->>'seq', tally = x.value->'tally'
FROM json_each(?) AS x WHERE live_rounds.id = x.value->>'id'`},
}

// storeVotes writes new participants, each participant's latest vote and
// the changed rounds' tallies. UPDATE leaves updated_at alone: a vote's
// time is not kept, not even as the round's last change.
func (s *Store) storeVotes(ctx context.Context, votes []VoteInput, outcomes []VoteOutcome, latest map[voteKey]models.LiveVote, changed []*models.LiveRound) error {
	if len(latest) == 0 {
		return nil
	}
	people := []participantRow{}
	seen := make(map[string]bool)
	for i, v := range votes {
		if v.TokenHash != nil && outcomes[i].Err == nil && !seen[v.ParticipantID] {
			seen[v.ParticipantID] = true
			people = append(people, participantRow{ID: v.ParticipantID, Session: v.SessionID, Hash: hex.EncodeToString(v.TokenHash)})
		}
	}
	rows := make([]voteRow, 0, len(latest))
	for k, v := range latest {
		rows = append(rows, voteRow{voteKeyRow{k.round, k.participant}, v.VoteID, json.RawMessage(v.Choice)})
	}
	tallies := make([]tallyRow, len(changed))
	for i, r := range changed {
		tallies[i] = tallyRow{r.ID, r.Seq, json.RawMessage(r.Tally)}
	}
	docs := make([]any, 3)
	for i, rows := range []any{people, rows, tallies} {
		doc, err := json.Marshal(rows)
		if err != nil {
			return err
		}
		docs[i] = string(doc)
	}
	statements := storeVotesSQL[s.dialect]
	if len(statements) == 1 {
		return translate(s.conn(ctx).Exec(statements[0], docs...).Error, "store votes")
	}
	for i, q := range statements {
		if err := s.conn(ctx).Exec(q, docs[i]).Error; err != nil {
			return translate(err, "store votes")
		}
	}
	return nil
}
