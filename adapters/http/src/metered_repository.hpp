#pragma once
// The worker's repository as its service sees it: every call goes to the real repository, and
// failures of the storage itself (unavailable, storage_failure) are counted for /metrics. Both
// the API and the pages reach storage only through here, so none is missed.
#include <memory>

#include "metrics.hpp"
#include "notes/note_repository.hpp"

namespace notes::http {

class metered_repository final : public note_repository {
 public:
  metered_repository(std::unique_ptr<note_repository> inner, worker_metrics& metrics)
      : inner_(std::move(inner)), metrics_(metrics) {}

  result<note> create(const note& fresh) override { return seen(inner_->create(fresh)); }
  result<std::optional<note>> find(note_id id) override { return seen(inner_->find(id)); }
  result<note> update(const note& changed, note_version expected) override {
    return seen(inner_->update(changed, expected));
  }
  result<void> remove(note_id id, std::optional<note_version> expected) override {
    return seen(inner_->remove(id, expected));
  }
  result<std::int64_t> count() override { return seen(inner_->count()); }
  result<note_page> list(list_order order, page_request page) override {
    return seen(inner_->list(order, page));
  }
  result<note_page> search(std::string_view query, page_request page) override {
    return seen(inner_->search(query, page));
  }
  result<std::vector<note>> all() override { return seen(inner_->all()); }
  result<void> import(std::span<const note> notes) override {
    return seen(inner_->import(notes));
  }

 private:
  template <class T>
  result<T> seen(result<T>&& r) {
    if (!r) metrics_.storage_error(r.error().code);
    return std::move(r);
  }

  std::unique_ptr<note_repository> inner_;
  worker_metrics& metrics_;
};

}  // namespace notes::http
