#include "transport/thread_resources.hpp"

#include <stdexcept>

#include "ops/metered_repository.hpp"

namespace notes::http {

thread_resources make_thread_resources(const repository_factory& make_repository,
                                       worker_metrics& metrics) {
  auto repository = make_repository();
  if (!repository) throw std::runtime_error("the repository factory returned nothing");
  thread_resources owned;
  owned.repository = std::make_unique<metered_repository>(std::move(repository), metrics);
  owned.notes = std::make_unique<note_service>(*owned.repository);
  return owned;
}

}  // namespace notes::http
