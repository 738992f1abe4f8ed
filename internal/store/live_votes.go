package store

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/jsonenc"
	"github.com/chorus-hr/chorus/models"
)

// A batch of votes is read and written with statements whose text never
// changes: the rows travel as one JSON document per table, which the
// database unpacks (jsonb_to_recordset, json_each). A statement whose text
// grew with the batch, as a multi-row VALUES list does, was parsed and
// planned again for every batch size, and PostgreSQL's driver prepared each
// size anew and evicted the others from its statement cache. The documents
// are written by hand (appendKeys and the rest), with one-letter keys: a
// batch holds up to a thousand votes. Round and participant ids are UUIDs
// and a vote's choice is JSON its round's spec has parsed.

// priorVotesSQL looks each key up in live_votes' primary key: a LATERAL
// subquery with LIMIT 1 keeps PostgreSQL from hashing the keys and reading
// the whole round instead, which it did for a room of a thousand, taking a
// JSON document for a hundred keys. A row comes back with its key's place
// in the document (i), so no id is read back.
var priorVotesSQL = map[database.Dialect]string{
	database.Postgres: `SELECT k.i, v.vote_id, v.choice
FROM jsonb_to_recordset(?::jsonb) AS k (i integer, r uuid, p uuid)
CROSS JOIN LATERAL (SELECT vote_id, choice FROM live_votes WHERE round_id = k.r AND participant_id = k.p LIMIT 1) AS v`,
	database.SQLite: `SELECT k.value->>'i', v.vote_id, v.choice
FROM json_each(?) AS k JOIN live_votes AS v ON v.round_id = k.value->>'r' AND v.participant_id = k.value->>'p'`,
}

// priorVotes reads the votes the batch's participants already have in the
// rounds it votes in.
func (s *Store) priorVotes(ctx context.Context, votes []VoteInput, rounds map[string]*models.LiveRound) (map[voteKey]models.LiveVote, error) {
	keys := make([]voteKey, 0, len(votes))
	doc := make([]byte, 0, 2+len(votes)*96)
	doc = append(doc, '[')
	for _, v := range votes {
		if rounds[v.RoundID] == nil {
			continue
		}
		if len(keys) > 0 {
			doc = append(doc, ',')
		}
		doc = strconv.AppendInt(append(doc, `{"i":`...), int64(len(keys)), 10)
		doc = jsonenc.AppendString(append(doc, `,"r":`...), v.RoundID)
		doc = jsonenc.AppendString(append(doc, `,"p":`...), v.ParticipantID)
		doc = append(doc, '}')
		keys = append(keys, voteKey{v.RoundID, v.ParticipantID})
	}
	doc = append(doc, ']')
	out := make(map[voteKey]models.LiveVote, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := s.conn(ctx).Raw(priorVotesSQL[s.dialect], string(doc)).Rows()
	if err != nil {
		return nil, translate(err, "prior votes")
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var v models.LiveVote
		if err := rows.Scan(&i, &v.VoteID, &v.Choice); err != nil {
			return nil, translate(err, "prior votes")
		}
		if i < 0 || i >= len(keys) {
			return nil, fmt.Errorf("prior votes: key %d of %d", i, len(keys))
		}
		k := keys[i]
		v.RoundID, v.ParticipantID = k.round, k.participant
		out[k] = v
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
	SELECT p, s, decode(h, 'hex') FROM jsonb_to_recordset(?::jsonb) AS x (p uuid, s uuid, h text)
	ON CONFLICT DO NOTHING
), v AS (
	INSERT INTO live_votes (round_id, participant_id, vote_id, choice)
	SELECT r, p, v, c FROM jsonb_to_recordset(?::jsonb) AS x (r uuid, p uuid, v text, c jsonb)
	ON CONFLICT (round_id, participant_id) DO UPDATE SET vote_id = excluded.vote_id, choice = excluded.choice
)
UPDATE live_rounds AS r SET seq = x.seq, tally = x.tally
FROM jsonb_to_recordset(?::jsonb) AS x (id uuid, seq bigint, tally jsonb) WHERE r.id = x.id`},
	database.SQLite: {`INSERT INTO live_participants (id, session_id, token_hash)
SELECT value->>'p', value->>'s', unhex(value->>'h') FROM json_each(?) WHERE true
ON CONFLICT DO NOTHING`,
		`INSERT INTO live_votes (round_id, participant_id, vote_id, choice)
SELECT value->>'r', value->>'p', value->>'v', value->'c' FROM json_each(?) WHERE true
ON CONFLICT (round_id, participant_id) DO UPDATE SET vote_id = excluded.vote_id, choice = excluded.choice`,
		`UPDATE live_rounds SET seq = x.value->>'seq', tally = x.value->'tally'
FROM json_each(?) AS x WHERE live_rounds.id = x.value->>'id'`},
}

// storeVotes writes new participants, each participant's latest vote (the
// vote at latest[k] in votes) and the changed rounds' tallies. UPDATE
// leaves updated_at alone: a vote's time is not kept, not even as the
// round's last change.
func (s *Store) storeVotes(ctx context.Context, votes []VoteInput, outcomes []VoteOutcome, latest map[voteKey]int, changed []*models.LiveRound) error {
	if len(latest) == 0 {
		return nil
	}
	people := []byte{'['}
	var seen map[string]bool
	for i, v := range votes {
		if v.TokenHash == nil || outcomes[i].Err != nil || seen[v.ParticipantID] {
			continue
		}
		if seen == nil {
			seen = map[string]bool{}
		} else {
			people = append(people, ',')
		}
		seen[v.ParticipantID] = true
		people = jsonenc.AppendString(append(people, `{"p":`...), v.ParticipantID)
		people = jsonenc.AppendString(append(people, `,"s":`...), v.SessionID)
		people = append(hex.AppendEncode(append(people, `,"h":"`...), v.TokenHash), `"}`...)
	}
	people = append(people, ']')
	rows := make([]byte, 0, 2+len(latest)*160)
	rows = append(rows, '[')
	n := 0
	for i, v := range votes {
		if j, ok := latest[voteKey{v.RoundID, v.ParticipantID}]; !ok || j != i {
			continue
		}
		if n++; n > 1 {
			rows = append(rows, ',')
		}
		rows = jsonenc.AppendString(append(rows, `{"r":`...), v.RoundID)
		rows = jsonenc.AppendString(append(rows, `,"p":`...), v.ParticipantID)
		rows = jsonenc.AppendString(append(rows, `,"v":`...), v.VoteID)
		rows = append(append(append(rows, `,"c":`...), v.Choice...), '}')
	}
	rows = append(rows, ']')
	tallies := []byte{'['}
	for i, r := range changed {
		if i > 0 {
			tallies = append(tallies, ',')
		}
		tallies = jsonenc.AppendString(append(tallies, `{"id":`...), r.ID)
		tallies = strconv.AppendInt(append(tallies, `,"seq":`...), r.Seq, 10)
		tallies = append(append(append(tallies, `,"tally":`...), r.Tally...), '}')
	}
	tallies = append(tallies, ']')
	docs := []any{string(people), string(rows), string(tallies)}
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
