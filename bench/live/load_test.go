package main

import "testing"

// The generator reads the few fields it needs by hand; it must agree with
// the messages Chorus and the baseline send.
func TestReadsServerMessages(t *testing.T) {
	for _, c := range []struct {
		msg, typ, voteID string
		seq              int64
	}{
		{`{"type":"tally","round_id":"r1","seq":42,"voters":17,"counts":null,"hand_counts":null,"hidden":true}`, "tally", "", 42},
		{`{"type":"ack","vote_id":"00000065-0000-4000-8000-00000000000a","seq":7}`, "ack", "00000065-0000-4000-8000-00000000000a", 7},
		{`{"type":"tally","seq":1234567,"vote_id":"x"}`, "tally", "x", 1234567},
		{`{"type":"welcome","participant":"chorus_live_x","session":{},"round":null,"view":"participant"}`, "welcome", "", 0},
		{`{"type":"error","vote_id":"v","code":"rate_limited","message":"…"}`, "error", "v", 0},
	} {
		b := []byte(c.msg)
		if got := field(b, `"type":"`); got != c.typ {
			t.Errorf("%s: type %q, want %q", c.msg, got, c.typ)
		}
		if got := field(b, `"vote_id":"`); got != c.voteID {
			t.Errorf("%s: vote_id %q, want %q", c.msg, got, c.voteID)
		}
		if got := number(b); got != c.seq {
			t.Errorf("%s: seq %d, want %d", c.msg, got, c.seq)
		}
	}
}

func TestVoteIDsNameTheirPhase(t *testing.T) {
	id := voteID(101, 59999)
	phase, k, ok := voteIndex(id)
	if !ok || phase != 101 || k != 59999 || len(id) != 36 {
		t.Fatalf("voteID(101, 59999) = %q, read back as %d, %d, %v", id, phase, k, ok)
	}
	if _, _, ok := voteIndex("not-a-vote"); ok {
		t.Fatal("a foreign vote_id was read as one of ours")
	}
}
