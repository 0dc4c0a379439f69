#!/usr/bin/python3
"""The benchmark's notes, identical for notes-server and the Flask app it is compared with.

  dataset.py tsv COUNT WORD OUT.tsv     deterministic notes, WORD in exactly 1% of them
  dataset.py flask IN.tsv OUT.db        the Flask app's SQLite database (table `note`) from that file

The TSV has no header: id, title, content, is_pinned (0/1), created_at (RFC 3339, UTC, Z).
Titles and contents never hold a tab or a newline, so no quoting is needed.
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


def generate(count, word, out):
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
            created = START + timedelta(seconds=i * 97, microseconds=rng.randrange(1_000_000))
            stamp = created.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            f.write(f"{i}\t{title}\t{content}\t{pinned}\t{stamp}\n")


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
            note_id, title, content, pinned, stamp = line.rstrip("\n").split("\t")
            # SQLAlchemy's SQLite DateTime storage format.
            when = stamp.replace("T", " ").rstrip("Z")
            rows.append((int(note_id), title, content, int(pinned), when, when))
    con.executemany("INSERT INTO note VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.commit()
    con.close()


def main(argv):
    if len(argv) == 5 and argv[1] == "tsv":
        generate(int(argv[2]), argv[3], argv[4])
    elif len(argv) == 4 and argv[1] == "flask":
        flask_db(argv[2], argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
