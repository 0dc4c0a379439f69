// The libsodium credentials: Argon2id hashes, token secrets, token digests. Low costs
// (minimum_cost) everywhere but the test of the defaults, so the suite stays fast.
#include <doctest/doctest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "notes/sodium/sodium_credentials.hpp"

using notes::sodium::argon2id_cost;
using notes::sodium::interactive_cost;
using notes::sodium::minimum_cost;
using notes::sodium::sodium_credentials;

namespace {

bool is_base64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// This process's address space in bytes (the first field of /proc/self/statm is in pages).
std::size_t address_space_in_use() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0;
  statm >> pages;
  return pages * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// Runs `body` in a child process that may map at most `headroom` more bytes than it holds; its
// exit code (-1 when it died of a signal).
template <typename Body>
int run_with_headroom(std::size_t headroom, Body body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const rlim_t limit = address_space_in_use() + headroom;
    const rlimit cap{limit, limit};
    if (::setrlimit(RLIMIT_AS, &cap) != 0) ::_exit(3);
    ::_exit(body());
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("sodium: a password verifies against its own hash") {
  sodium_credentials crypto(minimum_cost);
  const std::string hash = crypto.hash_password("correct horse battery staple");
  CHECK(crypto.verify_password(hash, "correct horse battery staple"));
}

TEST_CASE("sodium: a wrong password does not verify") {
  sodium_credentials crypto(minimum_cost);
  const std::string hash = crypto.hash_password("correct horse battery staple");
  CHECK_FALSE(crypto.verify_password(hash, "correct horse battery stapler"));
  CHECK_FALSE(crypto.verify_password(hash, "Correct horse battery staple"));
  CHECK_FALSE(crypto.verify_password(hash, ""));
}

TEST_CASE("sodium: passwords are bytes: NUL, UTF-8 and long ones verify exactly") {
  sodium_credentials crypto(minimum_cost);
  const std::string with_nul("pass\0word", 9);
  const std::string hash = crypto.hash_password(with_nul);
  CHECK(crypto.verify_password(hash, with_nul));
  CHECK_FALSE(crypto.verify_password(hash, "pass"));
  const std::string utf8 = "Pässwörd ✓ 密码";
  CHECK(crypto.verify_password(crypto.hash_password(utf8), utf8));
  const std::string long_one(1024, 'x');
  const std::string long_hash = crypto.hash_password(long_one);
  CHECK(crypto.verify_password(long_hash, long_one));
  CHECK_FALSE(crypto.verify_password(long_hash, long_one.substr(1)));
}

TEST_CASE("sodium: a malformed hash verifies nothing") {
  sodium_credentials crypto(minimum_cost);
  const std::string real = crypto.hash_password("secret password");
  const std::vector<std::string> malformed{
      "",
      "not a hash",
      "$argon2id$",
      real.substr(0, real.size() - 5),
      real.substr(0, real.rfind('$')),
      "$argon2id$v=19$m=8,t=1,p=1$$",
      "$bcrypt$" + real.substr(10),
      real + std::string(1, '\0') + "trailing",  // libsodium alone would stop at the NUL
      real + std::string(200, 'A'),
  };
  for (const auto& hash : malformed) {
    CAPTURE(hash);
    CHECK_FALSE(crypto.verify_password(hash, "secret password"));
  }
}

TEST_CASE("sodium: two hashes of one password differ (each has its own salt) and both verify") {
  sodium_credentials crypto(minimum_cost);
  const std::string first = crypto.hash_password("same password");
  const std::string second = crypto.hash_password("same password");
  CHECK(first != second);
  CHECK(crypto.verify_password(first, "same password"));
  CHECK(crypto.verify_password(second, "same password"));
}

TEST_CASE("sodium: a hash is a self-describing Argon2id string") {
  sodium_credentials crypto(minimum_cost);
  const std::string hash = crypto.hash_password("any password");
  CHECK(hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$"));
  CHECK(hash.find('\0') == std::string::npos);
}

TEST_CASE("sodium: the default costs are libsodium's interactive ones, 2 passes over 64 MiB") {
  sodium_credentials crypto;
  CHECK(crypto.cost() == interactive_cost);
  CHECK(interactive_cost == argon2id_cost{2, 64 * 1024 * 1024});
  const std::string hash = crypto.hash_password("default cost password");
  CHECK(hash.starts_with("$argon2id$v=19$m=65536,t=2,p=1$"));
  CHECK(crypto.verify_password(hash, "default cost password"));
  CHECK_FALSE(crypto.verify_password(hash, "default cost passw0rd"));
  CHECK_FALSE(crypto.needs_rehash(hash));
  // A hash made before the costs changed still verifies, and is due for a new hash.
  const std::string old = sodium_credentials(minimum_cost).hash_password("old password");
  CHECK(crypto.verify_password(old, "old password"));
  CHECK(crypto.needs_rehash(old));
}

TEST_CASE("sodium: needs_rehash is true for other costs and malformed hashes only") {
  sodium_credentials crypto(minimum_cost);
  const std::string hash = crypto.hash_password("a password");
  CHECK_FALSE(crypto.needs_rehash(hash));
  CHECK(sodium_credentials(argon2id_cost{2, minimum_cost.memory_bytes}).needs_rehash(hash));
  CHECK(sodium_credentials(argon2id_cost{1, 16 * 1024}).needs_rehash(hash));
  CHECK(crypto.needs_rehash(""));
  CHECK(crypto.needs_rehash("not a hash"));
  CHECK(crypto.needs_rehash(hash + std::string(1, '\0')));
}

TEST_CASE("sodium: costs outside libsodium's limits are refused at construction") {
  CHECK_THROWS_AS(sodium_credentials(argon2id_cost{0, minimum_cost.memory_bytes}),
                  std::invalid_argument);
  CHECK_THROWS_AS(sodium_credentials(argon2id_cost{1, 1024}), std::invalid_argument);
}

TEST_CASE("sodium: a hash that cannot get its memory throws std::runtime_error") {
  // 64 MiB needed, 16 MiB allowed: libsodium's allocation fails, as it would on a full machine.
  const int code = run_with_headroom(std::size_t{16} << 20, [] {
    try {
      sodium_credentials crypto(interactive_cost);
      crypto.hash_password("no room for this");
    } catch (const std::runtime_error& e) {
      return std::string(e.what()).starts_with("cannot hash a password") ? 0 : 1;
    } catch (...) {
      return 4;
    }
    return 2;
  });
  CHECK(code == 0);
}

TEST_CASE("sodium: token secrets are notes_pat_ and 43 base64url characters, all different") {
  sodium_credentials crypto(minimum_cost);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string secret = crypto.new_token_secret();
    REQUIRE(secret.starts_with("notes_pat_"));
    const std::string random = secret.substr(std::string("notes_pat_").size());
    CHECK(random.size() == 43);  // 32 bytes, unpadded
    CHECK(std::all_of(random.begin(), random.end(), is_base64url));
    seen.insert(secret);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("sodium: a token digest is the SHA-256 of the secret, 64 lowercase hex digits") {
  sodium_credentials crypto(minimum_cost);
  // FIPS 180-2's test vector.
  CHECK(crypto.digest_token("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string secret = crypto.new_token_secret();
  const std::string digest = crypto.digest_token(secret);
  CHECK(digest.size() == 64);
  CHECK(std::all_of(digest.begin(), digest.end(), is_lower_hex));
  CHECK(crypto.digest_token(secret) == digest);
  CHECK(sodium_credentials(minimum_cost).digest_token(secret) == digest);
  CHECK(crypto.digest_token(crypto.new_token_secret()) != digest);
}

TEST_CASE("sodium: the dummy hash is a valid hash at the same costs that verifies nothing") {
  sodium_credentials crypto(minimum_cost);
  const std::string& dummy = crypto.dummy_hash();
  CHECK(dummy.starts_with("$argon2id$v=19$m=8,t=1,p=1$"));
  CHECK_FALSE(crypto.needs_rehash(dummy));
  for (const std::string& guess : {std::string(), std::string("password"),
                                   std::string("notes_pat_"), crypto.new_token_secret()}) {
    CAPTURE(guess);
    CHECK_FALSE(crypto.verify_password(dummy, guess));
  }
  CHECK(&crypto.dummy_hash() == &dummy);
  CHECK(crypto.dummy_hash() == dummy);
  CHECK(sodium_credentials(minimum_cost).dummy_hash() != dummy);
}

TEST_CASE("sodium: the dummy hash is made once when several threads ask at the same time") {
  sodium_credentials crypto(minimum_cost);
  std::vector<const std::string*> seen(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] { seen[i] = &crypto.dummy_hash(); });
  }
  for (auto& t : threads) t.join();
  for (const auto* s : seen) CHECK(*s == *seen.front());
}
