#include "unchanged_reads.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include <atomic>
#include <cstring>
#include <functional>

#include "connection.hpp"

namespace notes::storage::detail {
namespace {

constexpr std::size_t header_words = std::tuple_size_v<wal_stamp>;
constexpr std::uint32_t index_format = 3007000;  // the header's iVersion

// What a kept note takes in memory, roughly: itself, its text and tags, and its node in the
// map.
std::size_t bytes_of(const note& n) noexcept {
  std::size_t bytes = sizeof(note) + 64 + n.title.capacity() + n.content.capacity();
  for (const std::string& tag : n.tags) bytes += sizeof(std::string) + tag.capacity();
  return bytes;
}

std::size_t hash_mix(std::size_t seed, std::size_t value) noexcept {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6U) + (seed >> 2U));
}

}  // namespace

std::optional<wal_index_view> wal_index_view::of(soci::session& session, bool default_vfs) {
  if (!default_vfs) return std::nullopt;
  return wal_index_view(session);
}

std::optional<wal_stamp> wal_index_view::now() {
  if (header_ == nullptr) {
    // The region SQLite maps for the connection's own reads (mapped by the reads that prepared
    // its statements); with `extend` 0 nothing is created that SQLite has not.
    sqlite_api::sqlite3_file* file = nullptr;
    if (sqlite_api::sqlite3_file_control(sqlite_handle(*session_), "main",
                                         SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
        file == nullptr || file->pMethods == nullptr || file->pMethods->iVersion < 2 ||
        file->pMethods->xShmMap == nullptr) {
      return std::nullopt;
    }
    void volatile* region = nullptr;
    if (file->pMethods->xShmMap(file, 0, 32 * 1024, 0, &region) != SQLITE_OK ||
        region == nullptr) {
      return std::nullopt;
    }
    header_ = static_cast<const volatile std::uint32_t*>(region);
  }
  // As SQLite reads it: a writer rewrites the second copy, then the first; copies that differ
  // are being rewritten.
  wal_stamp first{};
  wal_stamp second{};
  for (std::size_t i = 0; i < header_words; ++i) first[i] = header_[i];
  std::atomic_thread_fence(std::memory_order_acquire);
  for (std::size_t i = 0; i < header_words; ++i) second[i] = header_[header_words + i];
  if (first != second || first[0] != index_format) return std::nullopt;
  unsigned char is_init = 0;
  std::memcpy(&is_init, reinterpret_cast<const unsigned char*>(first.data()) + 12, 1);
  if (is_init == 0) return std::nullopt;
  return first;
}

std::size_t unchanged_reads::page_hash::operator()(const page_key& k) const noexcept {
  std::size_t h = std::hash<account_id>{}(k.owner);
  h = hash_mix(h, static_cast<std::size_t>(k.of));
  h = hash_mix(h, static_cast<std::size_t>(k.order));
  h = hash_mix(h, std::hash<std::string>{}(k.text));
  h = hash_mix(h, std::hash<std::int64_t>{}(k.page));
  return hash_mix(h, std::hash<std::int64_t>{}(k.per_page));
}

std::size_t unchanged_reads::note_hash::operator()(const note_key& k) const noexcept {
  return hash_mix(std::hash<account_id>{}(k.owner), std::hash<note_id>{}(k.id));
}

void unchanged_reads::hold(const wal_stamp& at) {
  if (holds(at)) return;
  // Another state: whoever reads the header now finds that one, or a later one. (Not ordered
  // by the change counter: recovering the WAL index starts it again from 0.)
  notes_.clear();
  pages_.clear();
  tags_.clear();
  bytes_ = 0;
  at_ = at;
  kept_ = true;
}

bool unchanged_reads::keep_note(const note& found) {
  const note_key key{found.owner, found.id};
  if (notes_.contains(key)) return true;
  const std::size_t bytes = bytes_of(found);
  if (bytes_ + bytes > max_bytes_) return false;
  notes_.emplace(key, found);
  bytes_ += bytes;
  return true;
}

std::size_t unchanged_reads::bytes() noexcept {
  std::scoped_lock lock(mutex_);
  return bytes_;
}

std::optional<note> unchanged_reads::find(const wal_stamp& at, account_id owner, note_id id) {
  std::scoped_lock lock(mutex_);
  if (!holds(at)) return std::nullopt;
  const auto found = notes_.find({owner, id});
  if (found == notes_.end()) return std::nullopt;
  served_.fetch_add(1, std::memory_order_relaxed);
  return found->second;
}

void unchanged_reads::keep(const wal_stamp& at, const note& found) {
  std::scoped_lock lock(mutex_);
  hold(at);
  keep_note(found);
}

std::optional<note_page> unchanged_reads::page(const wal_stamp& at, const page_key& key) {
  std::scoped_lock lock(mutex_);
  if (!holds(at)) return std::nullopt;
  const auto found = pages_.find(key);
  if (found == pages_.end()) return std::nullopt;
  note_page out{.notes = {}, .total = found->second.total};
  out.notes.reserve(found->second.ids.size());
  for (const note_id id : found->second.ids) {
    const auto n = notes_.find({key.owner, id});
    if (n == notes_.end()) return std::nullopt;
    out.notes.push_back(n->second);
  }
  served_.fetch_add(1, std::memory_order_relaxed);
  return out;
}

void unchanged_reads::keep(const wal_stamp& at, const page_key& key, const note_page& found) {
  kept_page ids{.ids = {}, .total = found.total};
  ids.ids.reserve(found.notes.size());
  for (const note& n : found.notes) ids.ids.push_back(n.id);
  std::scoped_lock lock(mutex_);
  hold(at);
  for (const note& n : found.notes) {
    if (!keep_note(n)) return;
  }
  if (pages_.size() >= max_pages) pages_.clear();
  pages_.insert_or_assign(key, std::move(ids));
}

std::optional<std::vector<tag_count>> unchanged_reads::tags(const wal_stamp& at,
                                                           account_id owner) {
  std::scoped_lock lock(mutex_);
  if (!holds(at)) return std::nullopt;
  const auto found = tags_.find(owner);
  if (found == tags_.end()) return std::nullopt;
  served_.fetch_add(1, std::memory_order_relaxed);
  return found->second;
}

void unchanged_reads::keep(const wal_stamp& at, account_id owner,
                           const std::vector<tag_count>& found) {
  std::scoped_lock lock(mutex_);
  hold(at);
  if (tags_.size() >= max_owners) tags_.clear();
  tags_.insert_or_assign(owner, found);
}

}  // namespace notes::storage::detail
