// Matching what people type against the names the API uses: case-insensitive, with the
// Danish letters folded (København = københavn = Kobenhavn = Koebenhavn), and the closest
// names to offer when nothing matches.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace etl {

// Lower case (ASCII and æ ø å é ü ö ä), æ -> ae, ø -> o, å -> a, then oe -> o, aa -> a, so
// the usual ways of writing a Danish name without Danish letters fold to the same key.
std::string fold_name(std::string_view name);

// Up to `n` of `candidates` closest to `wanted` (edit distance of the folded names, at most
// a third of the length, at least 2), best first.
std::vector<std::string> closest_names(std::string_view wanted, const std::vector<std::string>& candidates,
                                       std::size_t n = 3);

// "; did you mean 'X' or 'Y'?" for closest_names, or "" when none is close.
std::string did_you_mean(std::string_view wanted, const std::vector<std::string>& candidates);

}  // namespace etl
