#pragma once
// A repository of its own: a decorator that writes one line per call that
// changes notes, and one per failure, before passing it on to another
// repository.
#include <memory>
#include <notes/forwarding_note_repository.hpp>
#include <ostream>
#include <span>
#include <string_view>

class logging_note_repository : public notes::forwarding_note_repository {
 public:
  logging_note_repository(std::unique_ptr<notes::note_repository> target, std::ostream &log)
      : forwarding_note_repository(std::move(target)), log_(log) {}

  notes::result<notes::note> create(const notes::note &fresh) override {
    logged("create");
    return forwarding_note_repository::create(fresh);
  }
  notes::result<notes::note> update(const notes::note &changed, notes::note_version expected,
                                    std::int32_t keep_revisions) override {
    logged("update");
    return forwarding_note_repository::update(changed, expected, keep_revisions);
  }
  notes::result<void> remove(notes::account_id owner, notes::note_id id,
                             std::optional<notes::note_version> expected) override {
    logged("remove");
    return forwarding_note_repository::remove(owner, id, expected);
  }
  notes::result<void> trash(notes::account_id owner, notes::note_id id,
                            std::optional<notes::note_version> expected,
                            notes::timestamp when) override {
    logged("trash");
    return forwarding_note_repository::trash(owner, id, expected, when);
  }
  notes::result<notes::note> restore(notes::account_id owner, notes::note_id id,
                                     std::optional<notes::note_version> expected,
                                     notes::timestamp when) override {
    logged("restore");
    return forwarding_note_repository::restore(owner, id, expected, when);
  }
  notes::result<void> purge(notes::account_id owner, notes::note_id id,
                            std::optional<notes::note_version> expected) override {
    logged("purge");
    return forwarding_note_repository::purge(owner, id, expected);
  }
  notes::result<void> import(std::span<const notes::note> notes) override {
    logged("import");
    return forwarding_note_repository::import(notes);
  }

 protected:
  void on_failure(const notes::error &e) override { log_ << "failed: " << e.message << '\n'; }

 private:
  void logged(std::string_view call) { log_ << call << '\n'; }

  std::ostream &log_;
};
