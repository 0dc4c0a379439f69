#!/usr/bin/python3
"""Asks a restarted server for every note whose create was acknowledged (201) before a kill -9.

  verify_acks.py PORT ACK_FILE... > result.json

Prints {"check": "durability", "acknowledged": N, "missing": M, "first_missing": [...]}.
"""
import http.client
import json
import sys


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    port = int(argv[1])
    ids = set()
    for path in argv[2:]:
        with open(path, encoding="ascii") as f:
            ids.update(int(line) for line in f if line.strip())
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    missing = []
    for note_id in sorted(ids):
        connection.request("GET", f"/api/notes/{note_id}")
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            missing.append(note_id)
    connection.close()
    print(json.dumps({"check": "durability", "acknowledged": len(ids), "missing": len(missing),
                      "first_missing": missing[:10]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
