#include "notes/validation.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace notes;

namespace {

bool has_field(const std::vector<field_error>& errors, std::string_view field) {
  for (const auto& e : errors) {
    if (e.field == field) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a valid draft comes back trimmed") {
  auto r = validate(note_draft{"  Title  ", "\n body \n", true});
  REQUIRE(r);
  CHECK(r->title == "Title");
  CHECK(r->content == "body");
  CHECK(r->is_pinned);
}

TEST_CASE("a draft reports every failed field at once") {
  auto r = validate(note_draft{"   ", "", false});
  REQUIRE_FALSE(r);
  CHECK(r.error().size() == 2);
  CHECK(has_field(r.error(), "title"));
  CHECK(has_field(r.error(), "content"));
}

TEST_CASE("title length is counted in code points: 200 accepted, 201 refused") {
  std::string two_hundred;
  for (int i = 0; i < 200; ++i) two_hundred += "é";  // 400 bytes, 200 code points
  CHECK(validate(note_draft{two_hundred, "x", false}));
  auto r = validate(note_draft{two_hundred + "a", "x", false});
  REQUIRE_FALSE(r);
  CHECK(has_field(r.error(), "title"));
  CHECK(r.error().front().message.find("200") != std::string::npos);
}

TEST_CASE("content is limited to 100000 code points") {
  CHECK(validate(note_draft{"t", std::string(max_content_length, 'a'), false}));
  auto r = validate(note_draft{"t", std::string(max_content_length + 1, 'a'), false});
  REQUIRE_FALSE(r);
  CHECK(has_field(r.error(), "content"));
}

TEST_CASE("invalid UTF-8 is rejected per field") {
  auto r = validate(note_draft{"ok", "bad \xC3", false});
  REQUIRE_FALSE(r);
  REQUIRE(r.error().size() == 1);
  CHECK(r.error().front().field == "content");
  CHECK(r.error().front().message.find("UTF-8") != std::string::npos);
}

TEST_CASE("a patch checks only the fields present, by the same rules") {
  CHECK(validate(note_patch{}));
  CHECK(validate(note_patch{std::nullopt, std::nullopt, true}));
  auto blank_title = validate(note_patch{std::string("  "), std::nullopt, std::nullopt});
  REQUIRE_FALSE(blank_title);
  CHECK(has_field(blank_title.error(), "title"));
  CHECK_FALSE(has_field(blank_title.error(), "content"));
  auto trimmed = validate(note_patch{std::nullopt, std::string(" c "), std::nullopt});
  REQUIRE(trimmed);
  CHECK(*trimmed->content == "c");
  CHECK_FALSE(trimmed->title);
}

TEST_CASE("NUL and other control characters are refused; content keeps tabs and line breaks") {
  using namespace std::string_literals;
  auto nul_title = validate(note_draft{"a\0b"s, "c", false});
  REQUIRE_FALSE(nul_title);
  CHECK(nul_title.error().front().field == "title");
  CHECK_FALSE(validate(note_draft{"two\nlines", "c", false}));
  CHECK_FALSE(validate(note_draft{"t", "bell \a"s, false}));
  CHECK_FALSE(validate(note_patch{std::nullopt, "x\0y"s, std::nullopt}));
  auto lines = validate(note_draft{" title\n", "a\tb\r\nc", false});
  REQUIRE(lines);
  CHECK(lines->title == "title");
  CHECK(lines->content == "a\tb\r\nc");
}

TEST_CASE("tags: letters of the common scripts, digits, - _ /; trimmed, folded once, at most 20") {
  using notes::validate_tags;
  const std::vector<std::string> given{" Work ", "work", "café/Été", "日本", "x_1-2", "WORK"};
  auto clean = validate_tags(given);
  REQUIRE(clean);
  CHECK(*clean == std::vector<std::string>{"Work", "café/Été", "日本", "x_1-2"});
  const std::vector<std::string> refused_tags{"a b", "a,b", "", "🎉", "a.b", std::string(51, 'a'),
                                              "a\tb"};
  for (const std::string& bad : refused_tags) {
    CAPTURE(bad);
    const std::vector<std::string> one{bad};
    auto refused = validate_tags(one);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field == "tags");
  }
  CHECK(validate_tags(std::vector<std::string>{std::string(50, 'a')}));
  std::vector<std::string> many;
  for (int i = 0; i < 20; ++i) many.push_back("t" + std::to_string(i));
  CHECK(validate_tags(many));
  many.push_back("t20");
  CHECK(validate_tags(many).error().message == "A note may have at most 20 tags.");
  CHECK(notes::split_tags(" a, b ,,c,") == std::vector<std::string>{"a", "b", "c"});
  CHECK(notes::join_tags(std::vector<std::string>{"a", "b"}) == "a, b");
}

TEST_CASE("tags written decomposed are letters, kept as written, and fold with the composed") {
  const std::vector<std::string> given{"cafe\u0301", "CAF\u00C9", "\u212Bngstr\u00F6m"};
  auto clean = validate_tags(given);
  REQUIRE(clean);
  CHECK(*clean == std::vector<std::string>{"cafe\u0301", "\u212Bngstr\u00F6m"});
  CHECK(notes::fold_tag("cafe\u0301") == notes::fold_tag("Caf\u00E9"));
  CHECK(notes::fold_tags(given) == std::vector<std::string>{"caf\u00E9", "\u00E5ngstr\u00F6m"});
  CHECK(notes::fold_tag("cafe") != notes::fold_tag("caf\u00E9"));
  // 50 letters composed are 100 code points decomposed: the limit counts them composed.
  std::string long_tag;
  for (int i = 0; i < 50; ++i) long_tag += "e\u0301";
  CHECK(validate_tags(std::vector<std::string>{long_tag}));
  CHECK_FALSE(validate_tags(std::vector<std::string>{long_tag + "e"}));
  CHECK_FALSE(validate_tags(std::vector<std::string>{"x\u0301"}));
}
