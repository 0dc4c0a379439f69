#pragma once
// The data one page is rendered from: mustache's model (objects, lists, text, true and false),
// built per request into buffers that are kept and reused, so a page costs no allocation per
// value. Text is referenced, not copied, unless it is written into the tree's own buffer.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace notes::http::web {

// FNV-1a; names are compared by hash first, then by text.
constexpr std::uint32_t name_hash(std::string_view s) noexcept {
  std::uint32_t h = 2166136261u;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

// A member name, hashed at compile time. Literals convert implicitly (they outlive every tree).
struct data_key {
  std::string_view name;
  std::uint32_t hash;
  template <std::size_t N>
  consteval data_key(const char (&s)[N]) : data_key(std::string_view(s, N - 1)) {}
  // A name that is not a literal: its text must outlive every tree it is used in.
  static constexpr data_key of(std::string_view name) noexcept { return data_key(name); }

 private:
  constexpr explicit data_key(std::string_view n) noexcept : name(n), hash(name_hash(n)) {}
};

enum class data_kind : std::uint8_t { object, list, text, yes, no };

class view_data {
 public:
  using ref = std::uint32_t;
  static constexpr ref none = std::numeric_limits<ref>::max();
  static constexpr ref root = 0;

  struct node {
    std::string_view name;  // the member name; empty for list items and the root
    std::uint32_t hash = 0;
    data_kind kind = data_kind::object;
    ref first = none;  // members of an object, items of a list
    ref last = none;
    ref next = none;  // the next member or item of the parent
    std::uint32_t count = 0;  // how many members or items
    const char* text = nullptr;  // referenced text; nullptr: [offset, offset + size) of the buffer
    std::size_t offset = 0;
    std::size_t size = 0;
  };

  view_data();

  // Back to an empty root object; the buffers keep their capacity.
  void clear() noexcept;

  // Each member name is set once per object (the first one is what a lookup finds).
  ref add_object(ref object, data_key key);
  ref add_list(ref object, data_key key);
  ref add_item(ref list);  // an object appended to the list
  // `text` must stay alive until the page is rendered.
  void set_text(ref object, data_key key, std::string_view text);
  void set_copy(ref object, data_key key, std::string_view text);
  void set_bool(ref object, data_key key, bool value);
  // `write(std::string&)` appends the value's text to the tree's buffer.
  template <typename Writer>
  void set_written(ref object, data_key key, Writer&& write) {
    const std::size_t start = buffer_.size();
    write(buffer_);
    node& n = append(object, key.name, key.hash, data_kind::text);
    n.offset = start;
    n.size = buffer_.size() - start;
  }

  const node& at(ref r) const noexcept { return nodes_[r]; }
  std::string_view text(const node& n) const noexcept {
    return n.text ? std::string_view(n.text, n.size)
                  : std::string_view(buffer_).substr(n.offset, n.size);
  }
  // The member of an object by name, or `none` (also when `object` is not an object).
  ref member(ref object, std::string_view name, std::uint32_t hash) const noexcept;

 private:
  node& append(ref parent, std::string_view name, std::uint32_t hash, data_kind kind);

  std::vector<node> nodes_;
  std::string buffer_;
};

}  // namespace notes::http::web
