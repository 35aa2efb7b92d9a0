// The join retry's choice of blocks (docs/extraction.md, rule 2): a primary
// that failed on a name another block defines is retried joined with the
// blocks it needs, whatever they define (functions, classes, constants) and
// in every language. The names come from the harness (missing_name) or
// from the error messages it passed on; the blocks that define them pull in
// the blocks they need in turn.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gradebox/extract.h"

namespace gradebox {

/// Names an error message says are undefined: Python "name 'x' is not
/// defined", JavaScript "x is not defined", Go "undefined: x", tsc
/// "Cannot find name 'x'".
std::set<std::string> undefined_names_in(std::string_view text);

/// The primary plus the blocks it needs, in answer order; just the primary
/// when no other block defines one of `missing`. Only blocks of the
/// primary's language and side (reasoning or answer proper), never a
/// quotation or another block holding the entry point (an alternative).
std::vector<int> blocks_to_join(const Extraction& extraction, int primary,
                                const std::set<std::string>& missing);

}  // namespace gradebox
