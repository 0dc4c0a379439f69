#pragma once
// Unicode Normalization Form C over code points that remember where in the original text they
// came from, so that a match in normalised text can be shown in the text as written.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace notes::text::detail {

// One code point of normalised text and the bytes [begin, end) of the original it stands for.
struct piece {
  char32_t cp;
  std::uint32_t begin;
  std::uint32_t end;
};

// True when NFC can be applied to the text before `cp` and to the text from `cp` on
// separately: `cp` has combining class 0 and neither changes under NFC nor joins what precedes it.
bool is_boundary(char32_t cp) noexcept;

// True when well-formed UTF-8 `s` is NFC as it is. A quick check: false may still be NFC.
bool is_quick_nfc(std::string_view s) noexcept;
bool is_quick_nfc(const std::vector<piece>& pieces) noexcept;

// The code points of well-formed UTF-8 `s`, each spanning its own bytes, offset by `offset`.
std::vector<piece> to_pieces(std::string_view s, std::uint32_t offset = 0);

std::string to_utf8(const std::vector<piece>& pieces);

// NFC in place; a composite spans the bytes of everything it was made of.
void normalize(std::vector<piece>& pieces);

// The search key in place: NFC, then simple case folding, then NFC again (see search_key).
void make_search_key(std::vector<piece>& pieces);

}  // namespace notes::text::detail
