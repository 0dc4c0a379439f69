#pragma once
// A note's content read as Markdown (CommonMark with tables, strikethrough, task lists and
// autolinks), written as HTML that is safe to put in a page: the HTML is written here from the
// parser's events, so nothing of the note reaches the page unescaped.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace notes::http::markdown {

// How a task box is written: a disabled checkbox, or a button that submits the form with the id
// "task-<n>" (n counts the boxes from 1), which the page puts beside the content. The button needs
// no script, and the HTML needs no session's CSRF token, so one rendering serves every visitor.
enum class task_style { checkbox, form_button };

struct rendered {
  std::string html;
  std::size_t task_count = 0;  // how many task boxes the HTML holds
};

// Raw HTML in the text is shown as text; a link whose target is not http, https, mailto or
// relative keeps its text and loses its target; links carry rel="noopener nofollow ugc"; an image
// is written as a link to it (the page loads nothing from other origins).
rendered render(std::string_view text, task_style tasks);
std::string to_html(std::string_view text, task_style tasks = task_style::checkbox);

// The text without its Markdown syntax: what a reader sees, blocks and line breaks as spaces.
std::string to_plain_text(std::string_view text);

// The byte offset of the character between `[` and `]` of each task box, in order.
std::vector<std::size_t> task_box_offsets(std::string_view text);

// Whether a link target (entities already decoded) may be written in a page.
bool is_safe_link_target(std::string_view target);

}  // namespace notes::http::markdown
