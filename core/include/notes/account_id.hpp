#pragma once
// Who owns a note: an account's id. Apart from account.hpp because note.hpp needs it and
// account.hpp needs note.hpp (for timestamp).
#include <cstdint>

namespace notes {

using account_id = std::int64_t;

// The owner of the one shared notebook of a server without sign-in (AUTH=none), and of notes
// written before accounts existed. No account has this id; accounts start at 1.
inline constexpr account_id no_account = 0;

}  // namespace notes
