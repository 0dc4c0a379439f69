#include "transport/thread_resources.hpp"

#include <stdexcept>

#include "ops/metered_repository.hpp"

namespace notes::http {

thread_resources make_thread_resources(const repository_factory& make_repository,
                                       worker_metrics& metrics, const auth_options& auth,
                                       const web::cookie_session_codec& sessions,
                                       const history_policy& history) {
  auto repository = make_repository();
  if (!repository) throw std::runtime_error("the repository factory returned nothing");
  thread_resources owned;
  owned.repository = std::make_unique<metered_repository>(std::move(repository), metrics);
  owned.notes = std::make_unique<note_service>(*owned.repository, system_now, history);
  owned.events = &metrics;
  if (auth.accounts) {
    owned.account_store = auth.make_accounts();
    if (!owned.account_store) {
      throw std::runtime_error("the account repository factory returned nothing");
    }
    owned.accounts =
        std::make_unique<account_service>(*owned.account_store, *owned.repository, *auth.crypto);
    owned.gate = std::make_unique<account_gate>(sessions, auth.session_lifetime, *owned.accounts);
  }
  return owned;
}

}  // namespace notes::http
