// share_repository(): every worker thread gets a non-owning view of one thread-safe repository.
#include "notes/http/server.hpp"

namespace notes::http {

namespace {

class borrowed_repository final : public note_repository {
 public:
  explicit borrowed_repository(note_repository& target) : target_(&target) {}

  result<note> create(const note& fresh) override { return target_->create(fresh); }
  result<std::optional<note>> find(note_id id) override { return target_->find(id); }
  result<note> update(const note& changed, note_version expected) override {
    return target_->update(changed, expected);
  }
  result<void> remove(note_id id, std::optional<note_version> expected) override {
    return target_->remove(id, expected);
  }
  result<std::int64_t> count() override { return target_->count(); }
  result<note_page> list(list_order order, page_request page) override {
    return target_->list(order, page);
  }
  result<note_page> search(std::string_view query, page_request page) override {
    return target_->search(query, page);
  }
  result<std::vector<note>> all() override { return target_->all(); }
  result<void> import(std::span<const note> notes) override { return target_->import(notes); }

 private:
  note_repository* target_;
};

}  // namespace

repository_factory share_repository(note_repository& shared) {
  return [&shared] { return std::make_unique<borrowed_repository>(shared); };
}

}  // namespace notes::http
