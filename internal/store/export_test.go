package store

// PriorVotesSQL is the statement that reads a batch's earlier votes, for
// the test that looks at its plan.
var PriorVotesSQL = priorVotesSQL
