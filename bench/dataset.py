#!/usr/bin/python3
r"""The benchmark's notes, identical for notes-server and the Flask app it is compared with.

  dataset.py tsv COUNT WORD OUT.tsv [TAG]  deterministic notes, WORD in exactly 1% of them; with
                                           TAG, every tenth note carries it (most carry others)
  dataset.py markdown COUNT OUT.tsv        notes of realistic Markdown: a heading, a paragraph with
                                           emphasis and a link, a list, a code block, a table
  dataset.py flask IN.tsv OUT.db           the Flask app's SQLite database (table `note`) from a
                                           `tsv` file

The TSV has no header: id, title, content, is_pinned (0/1), created_at (RFC 3339, UTC, Z), and
optionally tags (comma-separated). A line end in a content is written `\n` and a backslash
`\\`; nothing else is escaped, and no field holds a tab.
"""
import random
import sqlite3
import sys
from datetime import datetime, timedelta, timezone

# Mixed ASCII and non-ASCII words so case folding is exercised; none contains the search word.
VOCABULARY = (
    "garden plan meeting review budget draft letter invoice recipe travel ticket seeds fence "
    "shed water meter friday monday weekly quarterly report backup server release notes idea "
    "book chapter summary call dentist groceries milk bread coffee tea bike repair window paint "
    "kitchen office project roadmap design sketch photo album birthday gift party music lesson "
    "piano guitar running training schedule café résumé naïve Straße Übung crème brûlée "
    "élan façade jalapeño smörgåsbord mañana Ärger Öl"
).split()

START = datetime(2025, 1, 1, tzinfo=timezone.utc)


def words(rng, low, high):
    return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(low, high)))


OTHER_TAGS = ("home", "work", "later", "reading", "travel", "ideas", "errands", "archive", "misc")


def stamp_of(rng, i):
    created = START + timedelta(seconds=i * 97, microseconds=rng.randrange(1_000_000))
    return created.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def tags_of(i, tag):
    """TAG on every tenth note; most other notes carry one or two of the others."""
    if tag is None:
        return []
    tags = [tag] if i % 10 == 3 else []
    if i % 10 != 0:
        tags.append(OTHER_TAGS[i % len(OTHER_TAGS)])
    if i % 4 == 1:
        tags.append(OTHER_TAGS[(i // 7) % len(OTHER_TAGS)])
    return list(dict.fromkeys(tags))


def generate(count, word, out, tag=None):
    rng = random.Random(20250101)
    forms = (word, word.capitalize(), word.upper())
    with open(out, "w", encoding="utf-8") as f:
        for i in range(1, count + 1):
            title = words(rng, 3, 5).capitalize()
            content = words(rng, 10, 14).capitalize() + "."
            # Exactly one note in a hundred holds the word, half of them in the title.
            if i % 100 == 37:
                form = forms[(i // 100) % len(forms)]
                if (i // 100) % 2:
                    title = f"{title} {form}"
                else:
                    content = f"{content} See {form}."
            pinned = 1 if i % 50 == 7 else 0
            stamp = stamp_of(rng, i)
            tags = tags_of(i, tag)
            tail = f"\t{','.join(tags)}" if tag is not None else ""
            f.write(f"{i}\t{title}\t{content}\t{pinned}\t{stamp}{tail}\n")


def markdown_note(rng):
    items = "\n".join(
        f"- {'[x] ' if rng.random() < 0.3 else ''}{words(rng, 2, 5)}" for _ in range(rng.randint(3, 6))
    )
    rows = "\n".join(
        f"| {rng.choice(VOCABULARY)} | {rng.randint(1, 500)} | {words(rng, 1, 3)} |"
        for _ in range(rng.randint(2, 4))
    )
    return (
        f"# {words(rng, 2, 4).capitalize()}\n\n"
        f"{words(rng, 8, 14).capitalize()}, **{words(rng, 1, 2)}** and _{words(rng, 1, 2)}_; see "
        f"[{words(rng, 1, 3)}](https://example.com/{rng.choice(VOCABULARY).lower()}) for more.\n\n"
        f"## {words(rng, 1, 3).capitalize()}\n\n{items}\n\n"
        f"```python\ndef total(rows):\n    return sum(r[{rng.randint(0, 3)}] for r in rows)\n```\n\n"
        f"| item | count | note |\n| --- | ---: | --- |\n{rows}\n\n"
        f"> {words(rng, 5, 9).capitalize()}.\n"
    )


def generate_markdown(count, out):
    rng = random.Random(20250102)
    with open(out, "w", encoding="utf-8") as f:
        for i in range(1, count + 1):
            title = words(rng, 3, 5).capitalize()
            content = markdown_note(rng).replace("\\", "\\\\").replace("\n", "\\n")
            pinned = 1 if i % 50 == 7 else 0
            f.write(f"{i}\t{title}\t{content}\t{pinned}\t{stamp_of(rng, i)}\n")


def flask_db(tsv, db):
    con = sqlite3.connect(db)
    # The DDL Flask-SQLAlchemy's create_all emits for the Flask app's Note model.
    con.execute(
        "CREATE TABLE note (id INTEGER NOT NULL, title VARCHAR(200) NOT NULL, content TEXT NOT NULL, "
        "is_pinned BOOLEAN, created_at DATETIME, updated_at DATETIME, PRIMARY KEY (id))"
    )
    rows = []
    with open(tsv, encoding="utf-8") as f:
        for line in f:
            note_id, title, content, pinned, stamp = line.rstrip("\n").split("\t")[:5]
            # SQLAlchemy's SQLite DateTime storage format.
            when = stamp.replace("T", " ").rstrip("Z")
            rows.append((int(note_id), title, content, int(pinned), when, when))
    con.executemany("INSERT INTO note VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.commit()
    con.close()


def main(argv):
    if len(argv) in (5, 6) and argv[1] == "tsv":
        generate(int(argv[2]), argv[3], argv[4], argv[5] if len(argv) == 6 else None)
    elif len(argv) == 4 and argv[1] == "markdown":
        generate_markdown(int(argv[2]), argv[3])
    elif len(argv) == 4 and argv[1] == "flask":
        flask_db(argv[2], argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
