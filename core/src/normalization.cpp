#include "normalization.hpp"

#include <algorithm>
#include <utility>

#include "nfc_tables.hpp"
#include "notes/text.hpp"
#include "utf8.hpp"

namespace notes::text {
namespace detail {
namespace {

// Hangul syllables are composed and decomposed by arithmetic (Unicode 3.12).
constexpr char32_t s_base = 0xAC00, l_base = 0x1100, v_base = 0x1161, t_base = 0x11A7;
constexpr char32_t l_count = 19, v_count = 21, t_count = 28;
constexpr char32_t n_count = v_count * t_count, s_count = l_count * n_count;

// Every code point below this is a boundary of class 0 (checked by the table generator).
constexpr char32_t first_of_interest = 0x300;

std::uint8_t combining_class(char32_t cp) noexcept {
  if (cp < first_of_interest) return 0;
  const auto* end = ccc_runs + ccc_run_count;
  const auto* it = std::upper_bound(ccc_runs, end, cp,
                                    [](char32_t c, const ccc_run& r) { return c < r.first; });
  if (it == ccc_runs || cp > (it - 1)->last) return 0;
  return (it - 1)->ccc;
}

bool quick_check_yes(char32_t cp) noexcept {
  if (cp < first_of_interest) return true;
  const auto* end = quick_check_runs + quick_check_run_count;
  const auto* it = std::upper_bound(
      quick_check_runs, end, cp, [](char32_t c, const code_point_run& r) { return c < r.first; });
  return it == quick_check_runs || cp > (it - 1)->last;
}

const decomposition* find_decomposition(char32_t cp) noexcept {
  if (cp < 0xC0) return nullptr;  // the first canonical decomposition is U+00C0's
  const auto* end = decompositions + decomposition_count;
  const auto* it = std::lower_bound(
      decompositions, end, cp, [](const decomposition& d, char32_t c) { return d.code_point < c; });
  return it != end && it->code_point == cp ? it : nullptr;
}

// The primary composite of `a` and `b`, or 0 when there is none.
char32_t compose_pair(char32_t a, char32_t b) noexcept {
  if (a >= l_base && a < l_base + l_count && b >= v_base && b < v_base + v_count) {
    return s_base + ((a - l_base) * v_count + (b - v_base)) * t_count;
  }
  if (a >= s_base && a < s_base + s_count && (a - s_base) % t_count == 0 && b > t_base &&
      b < t_base + t_count) {
    return a + (b - t_base);
  }
  const auto* end = compositions + composition_count;
  const auto before = [](const composition& c, const std::pair<char32_t, char32_t>& k) {
    return c.first != k.first ? c.first < k.first : c.second < k.second;
  };
  const auto* it = std::lower_bound(compositions, end, std::pair{a, b}, before);
  return it != end && it->first == a && it->second == b ? it->composite : 0;
}

void decompose(std::vector<piece>& pieces) {
  std::vector<piece> out;
  out.reserve(pieces.size() + pieces.size() / 2);
  for (const piece& p : pieces) {
    if (p.cp >= s_base && p.cp < s_base + s_count) {
      const char32_t index = p.cp - s_base;
      out.push_back({l_base + index / n_count, p.begin, p.end});
      out.push_back({v_base + index % n_count / t_count, p.begin, p.end});
      if (index % t_count != 0) out.push_back({t_base + index % t_count, p.begin, p.end});
    } else if (const decomposition* d = find_decomposition(p.cp)) {
      for (std::size_t k = 0; k < d->length; ++k) {
        out.push_back({decomposition_data[d->offset + k], p.begin, p.end});
      }
    } else {
      out.push_back(p);
    }
  }
  pieces = std::move(out);
}

// Canonical ordering: each run of non-starters sorted stably by combining class.
void reorder(std::vector<piece>& pieces) {
  for (std::size_t i = 1; i < pieces.size(); ++i) {
    const std::uint8_t ccc = combining_class(pieces[i].cp);
    if (ccc == 0) continue;
    for (std::size_t j = i; j > 0; --j) {
      const std::uint8_t before = combining_class(pieces[j - 1].cp);
      if (before == 0 || before <= ccc) break;
      std::swap(pieces[j - 1], pieces[j]);
    }
  }
}

// Canonical composition: each code point joins the last starter unless something between
// them blocks it (a starter, or a mark of the same or a higher class).
void compose(std::vector<piece>& pieces) {
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t written = 0;
  std::size_t starter = none;
  std::uint8_t last_class = 0;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const piece p = pieces[i];
    const std::uint8_t ccc = combining_class(p.cp);
    if (starter != none && (written == starter + 1 || (last_class != 0 && last_class < ccc))) {
      if (const char32_t composite = compose_pair(pieces[starter].cp, p.cp)) {
        piece& s = pieces[starter];
        s.cp = composite;
        s.begin = std::min(s.begin, p.begin);
        s.end = std::max(s.end, p.end);
        continue;
      }
    }
    if (ccc == 0) starter = written;
    last_class = ccc;
    pieces[written++] = p;
  }
  pieces.resize(written);
}

}  // namespace

bool is_boundary(char32_t cp) noexcept {
  return cp < first_of_interest || (combining_class(cp) == 0 && quick_check_yes(cp));
}

// The quick check of is_quick_nfc over pieces.
bool is_quick_nfc(const std::vector<piece>& pieces) noexcept {
  std::uint8_t last_class = 0;
  for (const piece& p : pieces) {
    if (p.cp < first_of_interest) {
      last_class = 0;
      continue;
    }
    if (!quick_check_yes(p.cp)) return false;
    const std::uint8_t ccc = combining_class(p.cp);
    if (ccc != 0 && last_class > ccc) return false;
    last_class = ccc;
  }
  return true;
}

bool is_quick_nfc(std::string_view s) noexcept {
  std::uint8_t last_class = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      last_class = 0;
      ++i;
      continue;
    }
    const char32_t cp = decode(s, i);
    if (!quick_check_yes(cp)) return false;
    const std::uint8_t ccc = combining_class(cp);
    if (ccc != 0 && last_class > ccc) return false;
    last_class = ccc;
  }
  return true;
}

std::vector<piece> to_pieces(std::string_view s, std::uint32_t offset) {
  std::vector<piece> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto begin = static_cast<std::uint32_t>(i);
    const char32_t cp = decode(s, i);
    out.push_back({cp, offset + begin, offset + static_cast<std::uint32_t>(i)});
  }
  return out;
}

std::string to_utf8(const std::vector<piece>& pieces) {
  std::string out;
  out.reserve(pieces.size());
  for (const piece& p : pieces) encode(p.cp, out);
  return out;
}

void normalize(std::vector<piece>& pieces) {
  decompose(pieces);
  reorder(pieces);
  compose(pieces);
}

void make_search_key(std::vector<piece>& pieces) {
  if (!is_quick_nfc(pieces)) normalize(pieces);
  // Folding can undo NFC: U+0345 (class 240) folds to U+03B9 (a starter), and a capital may
  // fold to a letter that composes with the mark after it where the capital did not. Canonical
  // caseless matching (Unicode 3.13) normalises after the fold for the same reason.
  for (piece& p : pieces) p.cp = simple_fold(p.cp);
  if (!is_quick_nfc(pieces)) normalize(pieces);
}

}  // namespace detail

std::string normalize_nfc(std::string_view s) {
  if (detail::is_quick_nfc(s)) return std::string(s);
  std::vector<detail::piece> pieces = detail::to_pieces(s);
  detail::normalize(pieces);
  return detail::to_utf8(pieces);
}

std::string search_key(std::string_view s) {
  if (detail::is_quick_nfc(s)) {
    std::string folded = fold_case(s);
    if (detail::is_quick_nfc(folded)) return folded;
  }
  std::vector<detail::piece> pieces = detail::to_pieces(s);
  detail::make_search_key(pieces);
  return detail::to_utf8(pieces);
}

}  // namespace notes::text
