package live

import (
	"bytes"
	"encoding/json"
	"testing"
)

// An ack is encoded by hand; it must be json.Marshal's encoding, byte for
// byte, whatever its ids hold.
func FuzzAckEncoding(f *testing.F) {
	f.Add("3f2c5d2e-8d3a-4c55-9d0b-6c1d2f3a4b5c", "", int64(7))
	f.Add("", "comment-1", int64(0))
	f.Add(`a"b\c<d>&e`, "é\x00\u2028", int64(-1))
	f.Add("~!@#$%^*()_+{}|:?", "x", int64(1<<62))
	f.Fuzz(func(t *testing.T, voteID, commentID string, seq int64) {
		a := ackMsg{Type: TypeAck, VoteID: voteID, CommentID: commentID, Seq: seq}
		want, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.encode(); !bytes.Equal(got, want) {
			t.Fatalf("encode gives %s, json.Marshal %s", got, want)
		}
		if m := ackMessage("round", voteID, seq); !bytes.Equal(m.Data(), ackMsg{Type: TypeAck, VoteID: voteID, Seq: seq}.encode()) || m.seq != seq || m.round != "round" {
			t.Fatalf("ackMessage: %s seq %d round %q", m.Data(), m.seq, m.round)
		}
	})
}
