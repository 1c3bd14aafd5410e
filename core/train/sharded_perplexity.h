#pragma once
// Held-out perplexity in a data-parallel run (train/communicator.h): each rank scores its share of
// the documents and the token-weighted NLL sums and token counts are summed over the ranks, so
// every rank gets the perplexity one process computes on all of them (up to the order of a sum).

#include "eval/perplexity.h"

#include <vector>

namespace anatomist::core {

class Communicator;

// Rank `rank` of `size`: every size-th document with two tokens or more (the only ones that score
// anything), starting at the rank-th. The shares are disjoint, cover those documents and differ in
// count by one at most; a rank may get none when there are fewer documents than ranks.
std::vector<std::vector<TokenId>> documentShare(const std::vector<std::vector<TokenId>>& documents,
                                                int rank, int size);

// evaluatePerplexity over all the documents; with a communicator of more than one rank, every rank
// must call it with the same documents and options (a collective). tokens_scored, positions and
// windows are the totals over the ranks, documents the count of non-empty documents, seconds this
// rank's. InvalidArgument when nothing can be scored; IoError when another rank is lost.
PerplexityResult shardedPerplexity(CausalLM& model,
                                   const std::vector<std::vector<TokenId>>& documents,
                                   const PerplexityOptions& options, Communicator* communicator,
                                   JobContext& job);

} // namespace anatomist::core
