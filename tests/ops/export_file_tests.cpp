// The export file on its own: exact round trips, the layout, and every way a file is refused.
#include <doctest/doctest.h>

#include <sstream>

#include "export_file.hpp"
#include "notes/time.hpp"

using notes::note;
using notes::timestamp;
using notes::app::exported_note;
using notes::app::read_export;
using notes::app::write_export;

namespace {

timestamp at(std::string_view rfc3339) { return notes::parse_rfc3339(rfc3339).value(); }

std::vector<note> sample_notes() {
  return {
      {3, "Ärger über \"Zitate\" 🎉", "line one\nline two\twith a tab and a \\ backslash", true,
       at("2026-03-04T05:06:07.000001Z"), at("2026-03-05T00:00:00.999999Z"), 7},
      {10, "Plain", "x", false, at("1999-12-31T23:59:59.500000Z"),
       at("1999-12-31T23:59:59.500000Z"), 1},
      {11, std::string(200, 'T'), std::string(100'000, 'c'), false,
       at("1969-12-31T23:59:59.999999Z"), at("2038-01-19T03:14:08.000000Z"), 123456789},
  };
}

// The notes as a file holds the shared notebook's: no owner.
std::vector<exported_note> unowned(const std::vector<note>& notes) {
  std::vector<exported_note> out;
  for (const note& n : notes) out.push_back({n, {}, std::nullopt, {}});
  return out;
}

std::string exported_with_owners(const std::vector<exported_note>& notes) {
  std::ostringstream out;
  write_export(out, notes);
  return out.str();
}

std::string exported(const std::vector<note>& notes) {
  return exported_with_owners(unowned(notes));
}

std::string refusal(const std::string& text) {
  auto read = read_export(text);
  REQUIRE_FALSE(read.has_value());
  return read.error();
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// A file of valid notes with `bad` (one note's JSON) on line 3.
std::string with_bad_note(const std::string& bad) {
  return "{\"format\":\"notes-export\",\"format_version\":1,\"notes\":[\n"
         "{\"id\":1,\"title\":\"a\",\"content\":\"a\",\"is_pinned\":false,"
         "\"created_at\":\"2026-01-01T00:00:00.000000Z\","
         "\"updated_at\":\"2026-01-01T00:00:00.000000Z\",\"version\":1},\n" +
         bad + "\n]}\n";
}

std::string note_json(std::string_view replace_key = {}, std::string_view replacement = {}) {
  std::vector<std::pair<std::string, std::string>> members{
      {"id", "2"},
      {"title", "\"b\""},
      {"content", "\"b\""},
      {"is_pinned", "true"},
      {"created_at", "\"2026-01-01T00:00:00.000000Z\""},
      {"updated_at", "\"2026-01-02T00:00:00.000000Z\""},
      {"version", "2"}};
  std::string out = "{";
  for (const auto& [key, value] : members) {
    if (key == replace_key && replacement.empty()) continue;
    if (out.size() > 1) out += ',';
    out += "\"" + key + "\":" + (key == replace_key ? std::string(replacement) : value);
  }
  return out + "}";
}

}  // namespace

TEST_CASE("export file: notes survive write and read exactly: text, pins, times, versions") {
  const auto notes = sample_notes();
  auto read = read_export(exported(notes));
  REQUIRE_MESSAGE(read.has_value(), (read ? "" : read.error()));
  CHECK(*read == unowned(notes));
}

TEST_CASE("export file: owners survive write and read by account name, and the shared notebook's "
          "notes name none") {
  auto notes = unowned(sample_notes());
  notes[0].owner = "alice";
  notes[2].owner = "Bob.Smith-2";
  const std::string text = exported_with_owners(notes);
  auto read = read_export(text);
  REQUIRE_MESSAGE(read.has_value(), (read ? "" : read.error()));
  CHECK(*read == notes);
  // Which account a name is depends on the database: the id is left for the import to find.
  CHECK(read->at(0).item.owner == notes::no_account);
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 5);
  CHECK(lines[1].ends_with(R"("version":7,"owner":"alice"},)"));
  CHECK(lines[2].ends_with(R"("version":1},)"));
  CHECK(lines[3].ends_with(R"("version":123456789,"owner":"Bob.Smith-2"})"));
}

TEST_CASE("export file: a note without an owner, as files from before owners, is the shared "
          "notebook's") {
  auto read = read_export(with_bad_note(note_json()));
  REQUIRE_MESSAGE(read.has_value(), (read ? "" : read.error()));
  REQUIRE(read->size() == 2);
  CHECK(read->at(0).owner.empty());
  CHECK(read->at(1).owner.empty());
  auto owned = read_export(with_bad_note(note_json("version", R"(2,"owner":"carol")")));
  REQUIRE_MESSAGE(owned.has_value(), (owned ? "" : owned.error()));
  CHECK(owned->at(1).owner == "carol");
}

TEST_CASE("export file: a header line, then one note per line in the given order") {
  const std::string text = exported(sample_notes());
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == R"({"format":"notes-export","format_version":2,"notes":[)");
  CHECK(lines[1].starts_with(R"({"id":3,"title":"Ärger über \"Zitate\" 🎉","content":"line one\nline two\twith a tab and a \\ backslash","is_pinned":true,"created_at":"2026-03-04T05:06:07.000001Z","updated_at":"2026-03-05T00:00:00.999999Z","version":7})"));
  CHECK(lines[2].starts_with(R"({"id":10,)"));
  CHECK(lines[3].starts_with(R"({"id":11,)"));
  CHECK(lines[4] == "]}");
  CHECK(exported({}) == "{\"format\":\"notes-export\",\"format_version\":2,\"notes\":[\n]}\n");
  CHECK(read_export(exported({})).value().empty());
}

TEST_CASE("export file: text is trimmed on the way in, as the API does") {
  auto read = read_export(with_bad_note(note_json("title", R"("  spaced  ")")));
  REQUIRE(read.has_value());
  CHECK(read->at(1).item.title == "spaced");
}

TEST_CASE("export file: a note breaking a rule is refused with its line and field") {
  struct bad_case {
    std::string note;
    std::string expected;
  };
  const std::vector<bad_case> cases{
      {note_json("title", R"("")"), R"(line 3: "title": Title is required.)"},
      {note_json("title", "\"" + std::string(201, 'x') + "\""),
       R"(line 3: "title": Title must be at most 200 characters.)"},
      {note_json("content", R"("   ")"), R"(line 3: "content": Content is required.)"},
      {note_json("content", R"("bell \u0007")"), R"(line 3: "content": Content must not contain)"},
      {note_json("title", "5"), R"(line 3: "title": must be a string)"},
      {note_json("is_pinned", "1"), R"(line 3: "is_pinned": must be true or false)"},
      {note_json("id", "0"), R"(line 3: "id": must be a positive integer)"},
      {note_json("id", "-4"), R"(line 3: "id": must be a positive integer)"},
      {note_json("id", "2.5"), R"(line 3: "id": must be a positive integer)"},
      {note_json("id", R"("2")"), R"(line 3: "id": must be a positive integer)"},
      {note_json("id", "1"), R"(line 3: "id": 1 appears twice (first at line 2))"},
      {note_json("version", "0"), R"(line 3: "version": must be a positive integer)"},
      {note_json("created_at", R"("yesterday")"), R"(line 3: "created_at": must be an RFC 3339)"},
      {note_json("updated_at", R"("2026-02-30T00:00:00Z")"), R"(line 3: "updated_at": must be)"},
      {note_json("updated_at", "null"), R"(line 3: "updated_at": must be an RFC 3339)"},
      {note_json("content"), R"(line 3: "content": missing)"},
      {note_json("version"), R"(line 3: "version": missing)"},
      {note_json("id", R"(2,"colour":"red")"), R"(line 3: "colour": unknown member)"},
      {note_json("version", R"(2,"owner":7)"), R"(line 3: "owner": must be the name of an)"},
      {note_json("version", R"(2,"owner":"")"), R"(line 3: "owner": must be the name of an)"},
      {note_json("version", R"(2,"owner":null)"), R"(line 3: "owner": must be the name of an)"},
      {note_json("version", R"(2,"owner":["a"])"), R"(line 3: "owner": must be the name of)"},
      {"[1, 2]", "line 3: a note must be a JSON object"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.note);
    const std::string why = refusal(with_bad_note(c.note));
    CHECK_MESSAGE(contains(why, c.expected), why);
  }
}

TEST_CASE("export file: every problem is listed, up to a limit") {
  std::string text = "{\"format\":\"notes-export\",\"format_version\":1,\"notes\":[\n";
  for (int i = 0; i < 30; ++i) {
    std::string bad = note_json("title", "7");
    bad.replace(bad.find("\"id\":2"), 6, "\"id\":" + std::to_string(i + 1));
    text += std::string(i ? ",\n" : "") + bad;
  }
  text += "\n]}\n";
  const std::string why = refusal(text);
  CHECK(contains(why, "line 2: \"title\": must be a string"));
  CHECK(contains(why, "line 21: \"title\""));
  CHECK_FALSE(contains(why, "line 22: "));
  CHECK(contains(why, "and 10 more"));
}

TEST_CASE("export file: a file that is not a notes export is refused with where it goes wrong") {
  CHECK(refusal("") == "the file is empty");
  CHECK(refusal("  \n") == "the file is empty");
  CHECK(contains(refusal("{\"format\":\"notes-export\",\n\"notes\": [\n{\"id\": 1,}"),
                 "line 3, column 10: not valid JSON"));
  CHECK(contains(refusal("{\"format\":\"notes-export\"} trailing"), "line 1, column 27"));
  CHECK(contains(refusal("{\"format\":\n\"notes-export\""), "line 2, column 15: not valid JSON (the file ends"));
  CHECK(contains(refusal("{\"format\":\"notes-export\",\n\"x\":\"\xff\"}"), "line 2"));
  CHECK(contains(refusal("[]"), "not a JSON object"));
  CHECK(contains(refusal(R"({"format":"other","format_version":1,"notes":[]})"),
                 "\"format\" must be \"notes-export\""));
  CHECK(contains(refusal(R"({"format":"notes-export","format_version":3,"notes":[]})"),
                 "\"format_version\": this notes-server reads versions 1 and 2 only"));
  CHECK(contains(refusal(R"({"format":"notes-export","format_version":"2","notes":[]})"),
                 "\"format_version\""));
  CHECK(contains(refusal(R"({"format":"notes-export","format_version":1})"), "\"notes\""));
  CHECK(contains(refusal(R"({"format":"notes-export","format_version":1,"notes":{}})"),
                 "\"notes\": must be an array"));
  CHECK(contains(refusal(R"({"format":"notes-export","format_version":1,"notes":[],"x":1})"),
                 "unknown member \"x\""));
}

namespace {

// A version 2 file of valid notes with `bad` (one note's JSON) on line 3.
std::string with_bad_v2_note(const std::string& bad) {
  std::string text = with_bad_note(bad);
  text.replace(text.find("\"format_version\":1"), 18, "\"format_version\":2");
  return text;
}

std::string revision_json(std::string_view extra = {}) {
  return R"({"version":1,"title":"t","content":"c","is_pinned":false,)"
         R"("replaced_at":"2026-01-01T12:00:00.000000Z")" +
         std::string(extra) + "}";
}

}  // namespace

TEST_CASE("export file: version 2 carries the trash and the revisions, and reads them back") {
  auto notes = unowned(sample_notes());
  notes[0].owner = "alice";
  notes[0].revisions = {
      {3, 1, "first", "one", false, at("2026-03-04T06:00:00Z"), notes::no_account},
      {3, 6, "sixth", "six\nlines", true, at("2026-03-05T00:00:00Z"), notes::no_account}};
  notes[1].deleted_at = at("2026-04-01T00:00:00.000001Z");
  notes[2].deleted_at = at("2026-04-02T00:00:00Z");
  notes[2].revisions = {
      {11, 5, "fifth", "five", false, at("2026-01-01T00:00:00Z"), notes::no_account}};
  const std::string text = exported_with_owners(notes);
  auto read = notes::app::read_export_file(text);
  REQUIRE_MESSAGE(read.has_value(), (read ? "" : read.error()));
  CHECK(read->version == 2);
  CHECK(read->notes == notes);
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 5);
  CHECK(lines[1].ends_with(
      R"("owner":"alice","revisions":[{"version":1,"title":"first","content":"one",)"
      R"("is_pinned":false,"replaced_at":"2026-03-04T06:00:00.000000Z"},{"version":6,)"
      R"("title":"sixth","content":"six\nlines","is_pinned":true,)"
      R"("replaced_at":"2026-03-05T00:00:00.000000Z"}]},)"));
  CHECK(lines[2].ends_with(R"("version":1,"deleted_at":"2026-04-01T00:00:00.000001Z"},)"));
}

TEST_CASE("export file: a version 1 file is read as before, and names no trash or revisions") {
  auto read = notes::app::read_export_file(with_bad_note(note_json()));
  REQUIRE_MESSAGE(read.has_value(), (read ? "" : read.error()));
  CHECK(read->version == 1);
  CHECK_FALSE(read->notes[1].deleted_at.has_value());
  const std::string trashed = note_json("version", R"(2,"deleted_at":"2026-01-01T00:00:00Z")");
  CHECK(contains(refusal(with_bad_note(trashed)), R"(line 3: "deleted_at": unknown member)"));
  CHECK(contains(refusal(with_bad_note(note_json("version", "2,\"revisions\":[]"))),
                 R"(line 3: "revisions": unknown member)"));
}

TEST_CASE("export file: a bad trash time or revision is refused with its line and field") {
  struct bad_case {
    std::string note;
    std::string expected;
  };
  const std::vector<bad_case> cases{
      {note_json("version", R"(2,"deleted_at":"soon")"), R"(line 3: "deleted_at": must be an)"},
      {note_json("version", R"(2,"deleted_at":null)"), R"(line 3: "deleted_at": must be an)"},
      {note_json("version", R"(2,"revisions":{})"), R"(line 3: "revisions": must be an array)"},
      {note_json("version", R"(2,"revisions":[7])"),
       R"(line 3: "revisions[0]": a revision must be a JSON object)"},
      {note_json("version", "2,\"revisions\":[" + revision_json(R"(,"colour":1)") + "]"),
       R"(line 3: "revisions[0].colour": unknown member)"},
      {note_json("version", "2,\"revisions\":[" + revision_json() + "," + revision_json() + "]"),
       R"(line 3: "revisions[1].version": 1 appears twice)"},
      {note_json("version", "1,\"revisions\":[" + revision_json() + "]"),
       R"(line 3: "revisions[0].version": must be below the note's version)"},
      {note_json("version", R"(2,"revisions":[{"version":1}])"),
       R"(line 3: "revisions[0].title": missing)"},
      {note_json("version", R"(2,"revisions":[{"version":0,"title":"","content":"c",)"
                            R"("is_pinned":1,"replaced_at":"x"}])"),
       R"(line 3: "revisions[0].version": must be a positive integer)"},
      {note_json("version", R"(2,"revisions":[{"version":1,"title":"","content":"c",)"
                            R"("is_pinned":false,"replaced_at":"2026-01-01T00:00:00Z"}])"),
       R"(line 3: "revisions[0].title": Title is required.)"},
      {note_json("version", R"(2,"revisions":[{"version":1,"title":"t","content":"c",)"
                            R"("is_pinned":1,"replaced_at":"x"}])"),
       R"(line 3: "revisions[0].is_pinned": must be true or false)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.note);
    const std::string why = refusal(with_bad_v2_note(c.note));
    CHECK_MESSAGE(contains(why, c.expected), why);
  }
}

TEST_CASE("export file: tags survive write and read; a note without them has none; bad ones are "
          "refused") {
  auto notes = sample_notes();
  notes[0].tags = {"Work", "café/été"};
  const std::string text = exported(notes);
  CHECK(contains(text, R"("tags":["Work","café/été"])"));
  auto read = read_export(text);
  REQUIRE_MESSAGE(read.has_value(), (read ? "" : read.error()));
  CHECK(*read == unowned(notes));
  CHECK(read->at(1).item.tags.empty());
  CHECK(contains(refusal(with_bad_note(note_json("version", R"(2,"tags":"work")"))),
                 R"("tags": must be an array of strings)"));
  CHECK(contains(refusal(with_bad_note(note_json("version", R"(2,"tags":["a b"])"))),
                 R"("tags": Tag "a b" may hold only letters)"));
}
