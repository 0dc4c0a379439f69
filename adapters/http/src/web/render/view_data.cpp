#include "web/render/view_data.hpp"

namespace notes::http::web {

view_data::view_data() {
  nodes_.reserve(256);
  buffer_.reserve(4096);
  clear();
}

void view_data::clear() noexcept {
  nodes_.clear();
  nodes_.emplace_back();  // the root object; the reserved capacity makes this not throw
  buffer_.clear();
}

view_data::node& view_data::append(ref parent, std::string_view name, std::uint32_t hash,
                                   data_kind kind) {
  const auto r = static_cast<ref>(nodes_.size());
  node& n = nodes_.emplace_back();
  n.name = name;
  n.hash = hash;
  n.kind = kind;
  node& p = nodes_[parent];
  if (p.last == none) {
    p.first = r;
  } else {
    nodes_[p.last].next = r;
  }
  p.last = r;
  ++p.count;
  return nodes_[r];
}

view_data::ref view_data::add_object(ref object, data_key key) {
  append(object, key.name, key.hash, data_kind::object);
  return static_cast<ref>(nodes_.size() - 1);
}

view_data::ref view_data::add_list(ref object, data_key key) {
  append(object, key.name, key.hash, data_kind::list);
  return static_cast<ref>(nodes_.size() - 1);
}

view_data::ref view_data::add_item(ref list) {
  append(list, {}, 0, data_kind::object);
  return static_cast<ref>(nodes_.size() - 1);
}

void view_data::set_text(ref object, data_key key, std::string_view text) {
  node& n = append(object, key.name, key.hash, data_kind::text);
  n.text = text.data() ? text.data() : "";
  n.size = text.size();
}

void view_data::set_copy(ref object, data_key key, std::string_view text) {
  set_written(object, key, [text](std::string& out) { out.append(text); });
}

void view_data::set_bool(ref object, data_key key, bool value) {
  append(object, key.name, key.hash, value ? data_kind::yes : data_kind::no);
}

view_data::ref view_data::member(ref object, std::string_view name,
                                 std::uint32_t hash) const noexcept {
  const node& o = nodes_[object];
  if (o.kind != data_kind::object) return none;
  for (ref r = o.first; r != none; r = nodes_[r].next) {
    const node& m = nodes_[r];
    if (m.hash == hash && m.name == name) return r;
  }
  return none;
}

}  // namespace notes::http::web
