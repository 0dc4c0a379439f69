#pragma once
// UTF-8 helpers the validation rules and search semantics rest on. Functions other than
// is_valid_utf8 expect well-formed UTF-8; given malformed input they stay memory-safe but their
// result is unspecified.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace notes::text {

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

// Number of Unicode code points in well-formed UTF-8.
std::size_t code_point_count(std::string_view s) noexcept;

// The code points of valid UTF-8 `s`.
std::u32string code_points(std::string_view s);

// True when `s` holds a C0 control character or DEL, other than the ones in `allowed`.
bool has_control_characters(std::string_view s, std::string_view allowed = {}) noexcept;

// Removes leading and trailing Unicode white space (ASCII space and controls, NBSP, U+2000..U+200A, ...).
std::string_view trim(std::string_view s) noexcept;

// Simple Unicode case folding of well-formed UTF-8 (one code point to one code point,
// e.g. "Ärger" -> "ärger", "CAFÉ" -> "café"). Search compares search_key, which includes it.
std::string fold_case(std::string_view s);

// Unicode Normalization Form C of well-formed UTF-8: canonical decomposition, canonical ordering
// and canonical composition, so that "e" + U+0301 and U+00E9 come out the same. Text that is
// NFC already (all ASCII text) is copied as it is.
std::string normalize_nfc(std::string_view s);

// What search and tags compare: NFC, then fold_case, then NFC again (a fold can leave text that
// is not NFC). Text written either way, composed or decomposed, in either case gives one key;
// accents stay: "cafe" and "café" differ.
std::string search_key(std::string_view s);

// True when `needle` occurs in `haystack` ignoring case (both are folded first).
bool contains_folded(std::string_view folded_haystack, std::string_view folded_needle) noexcept;

}  // namespace notes::text
